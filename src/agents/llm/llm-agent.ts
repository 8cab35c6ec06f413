import type {
  Agent,
  AgentContext,
  AgentHandoff,
  AgentReply,
  AgentTurn,
  ToolCall,
} from "../agent.ts";
import type { ChatMessage, ChatProvider, ChatResponse } from "../providers/chat-provider.ts";
import type { ToolContext } from "../tools/tool.ts";
import type { ToolOutcome, ToolSet } from "../tools/tool-set.ts";
import { type TurnTracer, traceText } from "../turn-trace.ts";

export interface LlmAgentOptions {
  id: string;
  version: string;
  /** Usually wrapped in timeout, retry and fallback middleware; its errors propagate. */
  provider: ChatProvider;
  model: string;
  systemPrompt: string;
  /** The document's variables the prompt was rendered with (for the turn trace). */
  variables?: Record<string, string>;
  tools?: ToolSet;
  /** Rounds of tool calls per turn; then one last call without tools forces an answer. */
  maxToolRounds?: number;
  maxTokens?: number;
  temperature?: number;
  /** Told to the customer when the model hands off without writing anything itself. */
  handoffText: string;
}

export const DEFAULT_MAX_TOOL_ROUNDS = 3;

// The model speaks as the assistant; what a person or Mainstay itself told the customer is
// marked so the model does not take it for its own words.
const PREFIX: Record<Exclude<AgentTurn["role"], "customer">, string> = {
  agent: "",
  human: "[human agent] ",
  system: "[automated message] ",
};

/** What one turn has gathered so far, across provider calls and tool rounds. */
interface Turn {
  messages: ChatMessage[];
  rounds: number;
  usage: { inputTokens: number; outputTokens: number };
  calls: ToolCall[];
  runs: Pick<ToolOutcome, "status" | "durationMs">[];
  handoff?: AgentHandoff;
  trace?: TurnTracer;
}

/** A conversation turn answered by a chat model, which may call tools along the way. */
export function createLlmAgent(options: LlmAgentOptions): Agent {
  const { id, version, provider, model, maxTokens, temperature, tools } = options;
  const maxToolRounds = options.maxToolRounds ?? DEFAULT_MAX_TOOL_ROUNDS;
  return {
    id,
    version,
    async respond(context, signal) {
      const turn: Turn = {
        messages: toMessages(options.systemPrompt, context),
        rounds: 0,
        usage: { inputTokens: 0, outputTokens: 0 },
        calls: [],
        runs: [],
        ...(context.trace && { trace: context.trace }),
      };
      context.trace?.step({
        kind: "prompt",
        system: traceText(options.systemPrompt),
        variables: options.variables ?? {},
        history: context.history.length,
        tools: tools?.specs.map((s) => s.name) ?? [],
      });
      const ctx: ToolContext = {
        conversationId: context.conversationId,
        contactId: context.contactId,
        signal,
      };
      for (;;) {
        // An empty `tools` list is an error for some providers (OpenAI): send none instead.
        const offerTools =
          tools !== undefined && tools.specs.length > 0 && turn.rounds < maxToolRounds;
        const response = await provider.chat({
          model,
          messages: turn.messages,
          tools: offerTools ? tools.specs : undefined,
          maxTokens,
          temperature,
          signal,
          ...(context.trace && { trace: context.trace }),
        });
        turn.usage.inputTokens += response.usage.inputTokens;
        turn.usage.outputTokens += response.usage.outputTokens;
        if (!offerTools || response.toolCalls.length === 0) {
          return toReply(response, turn, options.handoffText);
        }
        await runTools(tools, response, turn, ctx);
      }
    },
  };
}

function toMessages(systemPrompt: string, context: AgentContext): ChatMessage[] {
  return [
    { role: "system", content: systemPrompt },
    ...context.history.map(
      ({ role, text }): ChatMessage =>
        role === "customer"
          ? { role: "user", content: text }
          : { role: "assistant", content: PREFIX[role] + text },
    ),
    { role: "user", content: context.text },
  ];
}

/** Runs one round's calls side by side and appends them, with results, to the messages. */
async function runTools(tools: ToolSet, response: ChatResponse, turn: Turn, ctx: ToolContext) {
  turn.rounds++;
  turn.messages.push({ role: "assistant", content: response.text, toolCalls: response.toolCalls });
  const outcomes = await Promise.all(response.toolCalls.map((call) => tools.run(call, ctx)));
  response.toolCalls.forEach((call, i) => {
    const outcome = outcomes[i]!;
    turn.messages.push({ role: "tool", content: outcome.content, toolCallId: call.id });
    turn.calls.push({ name: call.name, arguments: call.arguments, result: outcome.content });
    turn.runs.push({ status: outcome.status, durationMs: outcome.durationMs });
    turn.handoff ??= outcome.handoff;
    turn.trace?.step({
      kind: "tool",
      name: call.name,
      arguments: traceText(JSON.stringify(call.arguments)),
      result: traceText(outcome.content),
      status: outcome.status,
      ms: outcome.durationMs,
    });
  });
}

function toReply(response: ChatResponse, turn: Turn, handoffText: string): AgentReply {
  const { calls, runs, usage, rounds } = turn;
  const handoff = turn.handoff ?? response.handoff;
  if (handoff) turn.trace?.step({ kind: "handoff", ...handoff });
  const text = handoff && response.text.trim() === "" ? handoffText : response.text;
  const meta = {
    provider: response.provider,
    model: response.model,
    rounds,
    ...(response.fallback && { fallback: true }),
  };
  return {
    text,
    ...(handoff && { handoff }),
    ...(calls.length > 0 && { toolCalls: calls }),
    usage,
    // Aligned with `toolCalls`: how each call went and how long it took.
    meta: runs.length > 0 ? { ...meta, toolRuns: runs } : meta,
  };
}
