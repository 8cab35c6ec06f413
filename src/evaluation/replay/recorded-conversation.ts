import { createHash } from "node:crypto";
import { z } from "zod";
import { MainstayError } from "../../shared/errors.ts";
import type { Conversation, Message, Store } from "../../store/index.ts";

const recordedTurnSchema = z.object({
  /** The customer's message as stored (redaction rules already applied). */
  customer: z.string(),
  /** What production answered. */
  reply: z.string(),
  author: z.enum(["agent", "system", "human"]),
  handoff: z.string().nullable(),
  /** Guardrail finding types on the reply. */
  findings: z.array(z.string()),
  latencyMs: z.number().nullable(),
  cost: z.number().nullable(),
});

/** One line of a dataset file: a recorded conversation, shareable as a regression set. */
export const recordedConversationSchema = z.object({
  id: z.string().min(1),
  channel: z.string().min(1),
  agent: z.object({ id: z.string().nullable(), version: z.string().nullable() }),
  createdAt: z.number(),
  turns: z.array(recordedTurnSchema),
});

export type RecordedTurn = z.infer<typeof recordedTurnSchema>;
export type RecordedConversation = z.infer<typeof recordedConversationSchema>;

const PAGE = 200;

/**
 * Conversations an agent served between `from` (inclusive) and `to` (exclusive), newest
 * first, walking conversation ids (they sort by creation time) and stopping before `from`.
 */
export async function conversationsBetween(
  store: Store,
  window: { agentId: string; from: number; to: number },
): Promise<Conversation[]> {
  const found: Conversation[] = [];
  let before: string | undefined;
  for (;;) {
    const page = await store.conversations.list({ limit: PAGE, ...(before ? { before } : {}) });
    for (const c of page) {
      if (c.createdAt >= window.from && c.createdAt < window.to && c.agentId === window.agentId) {
        found.push(c);
      }
    }
    const last = page.at(-1);
    if (!last || page.length < PAGE || last.createdAt < window.from) return found;
    before = last.id;
  }
}

/**
 * `n` of the items, the same ones on every run with the same seed: ordered by a hash of
 * seed and id, so adding conversations to the window changes the sample little.
 */
export function sampleOf<T extends { id: string }>(items: T[], n: number, seed: string): T[] {
  const key = (id: string) => createHash("sha256").update(`${seed}:${id}`).digest("hex");
  const keyed = items.map((item) => ({ item, key: key(item.id) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.slice(0, n).map((k) => k.item);
}

/**
 * A stored conversation as replay reads it: each customer message the bot (or Mainstay)
 * answered, with that answer's facts from the agent's turn record when there is one, else
 * from what was kept on the reply (`meta.latencyMs`, `meta.cost`, `meta.guardrails`).
 */
export async function recordedConversation(
  store: Store,
  conversation: Conversation,
): Promise<RecordedConversation> {
  const messages: Message[] = [];
  for (let page = await store.messages.list(conversation.id, undefined, PAGE); ; ) {
    messages.push(...page);
    if (page.length < PAGE) break;
    page = await store.messages.list(conversation.id, page.at(-1)!.id, PAGE);
  }
  const events = await store.events.list(conversation.id, 0, 10_000);
  const handoffs = new Map(
    events
      .filter((e) => e.type === "conversation.handoff")
      .map((e) => [String(e.data["messageId"]), String(e.data["reason"])]),
  );
  const recorded = await store.outcomes.turnsForConversation(conversation.id);
  const turnOf = new Map(recorded.filter((t) => !t.shadow).map((t) => [t.replyId, t]));
  const turns = messages
    .filter((m) => m.direction === "inbound")
    .flatMap((inbound): RecordedTurn[] => {
      const reply = messages.find((m) => m.meta["inReplyTo"] === inbound.id);
      if (!reply || reply.author === "customer") return [];
      const facts = turnOf.get(reply.id);
      const guardrails = reply.meta["guardrails"] as { findings?: { type: string }[] } | undefined;
      return [
        {
          customer: inbound.text,
          reply: reply.text,
          author: reply.author,
          handoff: facts?.handoff ?? handoffs.get(reply.id) ?? null,
          findings: facts?.findings ?? (guardrails?.findings ?? []).map((f) => f.type),
          latencyMs: facts?.latencyMs ?? numberOr(reply.meta["latencyMs"], null),
          cost: facts ? facts.cost : costOf(reply),
        },
      ];
    });
  return {
    id: conversation.id,
    channel: conversation.channelType,
    agent: { id: conversation.agentId, version: conversation.agentVersion },
    createdAt: conversation.createdAt,
    turns,
  };
}

const numberOr = <T>(v: unknown, fallback: T) => (typeof v === "number" ? v : fallback);

/** Kept as `meta.cost` (null: price unknown) when the reply used tokens; none used: free. */
function costOf(reply: Message): number | null {
  if ("cost" in reply.meta) return numberOr(reply.meta["cost"], null);
  return reply.author === "agent" ? 0 : null;
}

/** A dataset file: one recorded conversation per line (JSON Lines). */
export function formatDataset(conversations: RecordedConversation[]): string {
  return conversations.map((c) => `${JSON.stringify(c)}\n`).join("");
}

export function parseDataset(text: string, file: string): RecordedConversation[] {
  return text.split("\n").flatMap((line, i) => {
    if (line.trim() === "") return [];
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new MainstayError(
        "MS_EVAL_INVALID",
        `${file}:${i + 1}: not JSON: ${(e as Error).message}`,
      );
    }
    const parsed = recordedConversationSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new MainstayError(
        "MS_EVAL_INVALID",
        `${file}:${i + 1}: ${issue.path.join(".") || "line"}: ${issue.message}`,
      );
    }
    return [parsed.data];
  });
}
