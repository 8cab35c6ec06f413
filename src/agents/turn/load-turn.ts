import {
  type JobReads,
  type ProcessJobPayload,
  processJobPayload,
} from "../../conversations/index.ts";
import { type Job, readJobPayload } from "../../jobs/index.ts";
import type { Message, Store } from "../../store/index.ts";
import type { AgentTurn } from "../agent.ts";
import { burstFor } from "../coalesce-burst.ts";
import type { TurnInput } from "./turn-facts.ts";

/** A `process` job's payload (queued by ConversationService.receive); malformed, it is dead. */
export function readProcessPayload(job: Job): ProcessJobPayload {
  return readJobPayload(job, processJobPayload);
}

const ROLE: Record<Message["author"], AgentTurn["role"]> = {
  customer: "customer",
  agent: "agent",
  human: "human",
  system: "system",
};

/**
 * The turn a `process` job answers, or undefined when it answers none: the conversation
 * left the bot, the line is gone, it was answered already (a retried job), or a later
 * line's job answers it together with that one.
 */
export async function loadTurn(
  store: Store,
  reads: JobReads,
  { conversationId, messageId }: ProcessJobPayload,
  historyLimit: number,
): Promise<TurnInput | undefined> {
  const conversation = await reads.conversation(conversationId);
  if (conversation?.state !== "bot") return undefined;
  const history = await reads.recent(conversationId, historyLimit);
  const stored = history.find((m) => m.id === messageId) ?? (await reads.message(messageId));
  if (!stored) return undefined;
  const lines = burstFor(history, stored);
  if (!lines) return undefined;
  const inbound =
    lines.length === 1 ? stored : { ...stored, text: lines.map((m) => m.text).join("\n") };
  // The agent sees the customer across channels: what they wrote on WhatsApp yesterday
  // is context for today's email. Only turns before these lines, each bounded.
  const earlier = await store.messages.recentForContact(
    conversation.contactId,
    historyLimit,
    lines[0]!.id,
  );
  const turns = earlier.map((m) => ({ role: ROLE[m.author], text: boundTurn(m.text) }));
  return { conversation, messageId, lines, inbound, history, turns };
}

/** Longest turn text given to the agent; a longer one is cut, ending in an ellipsis. */
const MAX_TURN_CHARS = 500;

function boundTurn(text: string): string {
  const chars = Array.from(text); // code points, so an emoji is never cut in half
  return chars.length <= MAX_TURN_CHARS ? text : `${chars.slice(0, MAX_TURN_CHARS - 1).join("")}…`;
}
