import { MainstayError } from "../../../shared/errors.ts";
import type { Agent } from "../../agent.ts";
import { createBuiltinAgent } from "../../builtin/index.ts";
import type { ChatProvider, ChatResponse } from "../chat-provider.ts";
import type { ProviderDefinition } from "../provider-definition.ts";
import { providerEntryOf } from "../provider-entry.ts";

const NAME = "builtin";
// It calls no model: `model`, `baseUrl` and `apiKeySecret` are accepted, as they always were.
const configSchema = providerEntryOf(NAME);

/** The offline agent (docs/builtin-agent.md): answers from the knowledge base, no model. */
export const builtinProvider: ProviderDefinition<typeof NAME, typeof configSchema> = {
  type: NAME,
  configSchema,
  pricingKey: NAME,
  knowledgeAgent: createBuiltinAgent,
  create(_entry, { agent }) {
    if (!agent?.knowledge) {
      const who = agent ? `agent ${agent.id}: ` : "";
      throw new MainstayError("MS_AGENT_INVALID", `${who}builtin needs knowledgeDir`);
    }
    const { id, version, knowledge } = agent;
    return agentAsProvider(createBuiltinAgent({ id, version, knowledge }));
  },
};

/** The offline agent as a link in a fallback chain: it answers the last customer message. */
function agentAsProvider(agent: Agent): ChatProvider {
  return {
    name: NAME,
    async chat(request): Promise<ChatResponse> {
      const last = request.messages.findLast((m) => m.role === "user")?.content ?? "";
      const reply = await agent.respond(
        { conversationId: "", contactId: "", channel: "", history: [], text: last },
        request.signal,
      );
      return {
        provider: NAME,
        model: NAME,
        text: reply.text,
        toolCalls: [],
        usage: { inputTokens: 0, outputTokens: 0 },
        finishReason: "stop",
        ...(reply.handoff ? { handoff: reply.handoff } : {}),
      };
    },
  };
}
