import type { Message } from "../store/index.ts";

/**
 * The customer lines one `process` job answers, oldest first, or undefined when it answers
 * none. People type in several short lines; each line has its own job, but the agent
 * answers them in one turn: the job of the newest unanswered line answers every unanswered
 * line since the last message Mainstay or a person sent, and the jobs of the lines before
 * it step aside. A retried job whose line was already answered answers nothing.
 */
export function burstFor(history: Message[], inbound: Message): Message[] | undefined {
  const answered = new Set<string>();
  for (const m of history) {
    const inReplyTo = m.meta["inReplyTo"];
    if (typeof inReplyTo === "string") answered.add(inReplyTo);
    const covers = m.meta["covers"];
    if (Array.isArray(covers)) for (const id of covers) answered.add(String(id));
  }
  if (answered.has(inbound.id)) return undefined;
  // Lines over a message limit are kept for people to read, never answered.
  const waiting = (m: Message) =>
    m.author === "customer" && m.meta["limited"] === undefined && !answered.has(m.id);
  if (history.some((m) => m.id > inbound.id && waiting(m))) return undefined;
  const lastSent = history.findLast((m) => m.direction === "outbound" && m.id < inbound.id);
  const lines = history.filter(
    (m) => waiting(m) && m.id < inbound.id && (!lastSent || m.id > lastSent.id),
  );
  return [...lines, inbound];
}
