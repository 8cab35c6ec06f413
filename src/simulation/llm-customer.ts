import type { Secrets } from "../agents/index.ts";
import type { ChatMessage } from "../agents/providers/index.ts";
import { type JudgeProvider, modelClient } from "../evaluation/index.ts";
import type { EgressFetch } from "../shared/egress/index.ts";
import type { Scenario } from "./scenario-schema.ts";
import type { CustomerMove, SimulatedCustomer } from "./simulated-customer.ts";

/** What the model writes to end the conversation; the text before it is still sent. */
export const DONE_MARK = "[DONE]";
export const GIVE_UP_MARK = "[GIVE UP]";

/**
 * A customer played by a model on any provider an agent document can name. The model
 * sees the agent's replies as the other side's messages and writes the customer's.
 */
export function llmCustomer(
  spec: JudgeProvider,
  secrets: Secrets,
  fetch?: EgressFetch,
): SimulatedCustomer {
  const { name, model, provider } = modelClient(
    spec,
    secrets,
    { name: "customer", code: "MS_SIM_INVALID" },
    fetch,
  );
  return {
    name,
    start(scenario) {
      const messages: ChatMessage[] = [{ role: "system", content: instructionsFor(scenario) }];
      return {
        async next(reply) {
          if (reply === null && scenario.script?.opening) {
            messages.push({ role: "user", content: OPENED });
            messages.push({ role: "assistant", content: scenario.script.opening });
            return { text: scenario.script.opening };
          }
          messages.push({ role: "user", content: reply === null ? OPENED : reply || "(no reply)" });
          const response = await provider.chat({ model, messages, maxTokens: 300 });
          messages.push({ role: "assistant", content: response.text });
          return parseMove(response.text);
        },
      };
    },
  };
}

const OPENED = "(The support chat has opened. Write your first message.)";

/** The customer's line with the end marks taken out. */
export function parseMove(written: string): CustomerMove {
  const done = written.includes(DONE_MARK);
  const gaveUp = written.includes(GIVE_UP_MARK);
  const text = written.replaceAll(DONE_MARK, "").replaceAll(GIVE_UP_MARK, "").trim();
  const leaves = gaveUp ? "gave_up" : done ? "done" : undefined;
  return { ...(text ? { text } : {}), ...(leaves ? { leaves } : {}) };
}

function instructionsFor(s: Scenario): string {
  const lines = [
    "You play a customer writing to a company's support assistant. Stay in the role: write only the customer's next message, never the assistant's, and never say you are simulated.",
    `Your goal: ${s.goal}`,
    ...(s.knows
      ? [`You know (say it only when it helps or you are asked): ${s.knows.join("; ")}`]
      : []),
    ...(s.unknown ? [`You do not know: ${s.unknown.join("; ")}`] : []),
    ...(s.persona ? [`How you behave: ${s.persona}`] : []),
    `You write on ${s.channel}, in ${s.language}; keep messages as short as people do there.`,
    `When your goal is met, write your last words followed by ${DONE_MARK}. If you are not getting anywhere, write ${GIVE_UP_MARK}.`,
  ];
  return lines.join("\n");
}
