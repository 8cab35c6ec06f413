import type pg from "pg";
import type { VendorDelivery } from "./vendor-stand-in.ts";
import type { WebchatSession } from "./webchat-load.ts";
import type { AcceptedMessage } from "./webhook-load.ts";

/** What the database holds once the run is over. */
export interface StoredRows {
  inbound: { id: string; conversation_id: string; provider_message_id: string }[];
  /** `meta` holds `inReplyTo` and, for a burst answered at once, `covers` (the lines). */
  outbound: { id: string; conversation_id: string; status: string; meta: string }[];
  /** Conversations not with the bot (handed to a person), with why. */
  handedOff: { id: string; state: string; reason: string | null }[];
  /** Dead-lettered jobs: what they were and their last error. */
  deadJobs: { kind: string; payload: string; last_error: string | null }[];
  /** Web-chat sessions (identity address) and their conversation ids. */
  sessions: { address: string; conversation_id: string }[];
}

export async function readStoredRows(db: pg.Client): Promise<StoredRows> {
  const rows = async <T>(sql: string) => (await db.query(sql)).rows as T[];
  return {
    inbound: await rows(`SELECT id, conversation_id, provider_message_id FROM messages
      WHERE direction = 'inbound' AND channel_id = 'api'`),
    outbound: await rows(
      "SELECT id, conversation_id, status, meta FROM messages WHERE direction = 'outbound'",
    ),
    handedOff: await rows(`SELECT c.id, c.state, (SELECT max(o.handoff_reason)
      FROM conversation_outcomes o WHERE o.conversation_id = c.id) AS reason
      FROM conversations c WHERE c.state <> 'bot'`),
    deadJobs: await rows("SELECT kind, payload, last_error FROM jobs WHERE status = 'dead'"),
    sessions: await rows(`SELECT i.address, c.id AS conversation_id FROM identities i
      JOIN conversations c ON c.identity_id = i.id WHERE i.channel_type = 'webchat'`),
  };
}

export interface MessageLedger {
  accepted: number;
  stored: number;
  replied: number;
  /** Unanswered lines written after their conversation was handed to a person. */
  toPerson: number;
  /** Accepted, and neither answered by a reply that reached the vendor nor `toPerson`. */
  lost: number;
  /** The first few lost lines, to look into. */
  lostSample: LostLine[];
  /** Replies dead-lettered (status failed). */
  failed: number;
  /** Jobs that used up their attempts, with their last error. */
  deadJobs: { kind: string; error: string | null }[];
  duplicates: {
    /** Extra vendor calls acted on with an idempotency key already acted on (at least once). */
    perKey: number;
    /** One customer line answered by two replies under different keys, or stored twice. */
    acrossKeys: number;
  };
  orderViolations: {
    /** Adjacent replies of a conversation that reached the vendor out of creation order. */
    replies: number;
    /** Adjacent lines of a sender stored out of the order they were sent in. */
    inbound: number;
  };
  webchat: {
    sessions: number;
    /** Sessions whose line no instance stored (no socket got it through). */
    unsent: number;
    replied: number;
    /** Replied, but the reply reached no socket live (only a later history had it). */
    liveMissed: number;
    /** Stored, and no reply was made. */
    lost: number;
  };
}

/**
 * The ledger of one run. A line counts as replied when a reply that names it (`inReplyTo`,
 * or `covers` for lines answered together) reached the vendor: a 2xx, or a timeout after
 * the vendor acted on it.
 */
export function computeLedger(input: {
  accepted: AcceptedMessage[];
  delivered: VendorDelivery[];
  sessions: WebchatSession[];
  rows: StoredRows;
}): MessageLedger {
  const { rows } = input;
  const reached = new Map<string, number>();
  for (const d of input.delivered) reached.set(d.key, (reached.get(d.key) ?? 0) + 1);
  const repliesTo = new Map<string, StoredRows["outbound"]>();
  for (const reply of rows.outbound) {
    for (const line of linesAnswered(reply)) {
      repliesTo.set(line, [...(repliesTo.get(line) ?? []), reply]);
    }
  }
  const stored = new Map(rows.inbound.map((m) => [m.provider_message_id, m]));
  const lost: LostLine[] = [];
  const handedOff = new Map(rows.handedOff.map((c) => [c.id, c.reason ?? c.state]));
  const lastReply = new Map<string, string>();
  for (const reply of rows.outbound) {
    if (reply.id > (lastReply.get(reply.conversation_id) ?? "")) {
      lastReply.set(reply.conversation_id, reply.id);
    }
  }
  let toPerson = 0;
  let answeredTwice = 0;
  for (const message of input.accepted) {
    const row = stored.get(message.id);
    const replies = (row && repliesTo.get(row.id)) ?? [];
    const reachedReplies = replies.filter((r) => reached.has(r.id));
    answeredTwice += Math.max(0, reachedReplies.length - 1);
    if (reachedReplies.length > 0) continue;
    // Written after its conversation went to a person: for them to answer, not the bot.
    const after = row && row.id > (lastReply.get(row.conversation_id) ?? "");
    if (after && handedOff.has(row.conversation_id)) {
      toPerson++;
      continue;
    }
    lost.push({
      line: message.id,
      conversationId: message.conversationId,
      replies: replies.map((r) => ({ id: r.id, status: r.status })),
      handedOff: handedOff.get(message.conversationId) ?? null,
    });
  }
  return {
    accepted: input.accepted.length,
    stored: input.accepted.filter((m) => stored.has(m.id)).length,
    replied: input.accepted.length - lost.length - toPerson,
    toPerson,
    lost: lost.length,
    lostSample: lost.slice(0, 5),
    failed: rows.outbound.filter((m) => m.status === "failed").length,
    deadJobs: rows.deadJobs.map((j) => ({ kind: j.kind, error: j.last_error })),
    duplicates: {
      perKey: [...reached.values()].reduce((sum, n) => sum + n - 1, 0),
      acrossKeys: answeredTwice + (rows.inbound.length - stored.size),
    },
    orderViolations: {
      replies: repliesOutOfOrder(input.delivered, rows),
      inbound: inboundOutOfOrder(input.accepted, stored),
    },
    webchat: webchatLedger(input.sessions, rows),
  };
}

/** A lost line and the replies stored for it (none reached the vendor). */
export interface LostLine {
  line: string;
  conversationId: string;
  replies: { id: string; status: string }[];
  /** Why its conversation left the bot, if it did. */
  handedOff: string | null;
}

function linesAnswered(reply: StoredRows["outbound"][number]): string[] {
  const meta = JSON.parse(reply.meta) as { inReplyTo?: string; covers?: string[] };
  return meta.covers ?? (meta.inReplyTo ? [meta.inReplyTo] : []);
}

function repliesOutOfOrder(delivered: VendorDelivery[], rows: StoredRows): number {
  // Ids sort by creation time (src/shared/ids.ts); the first call acted on is what counts.
  const conversationOf = new Map(rows.outbound.map((m) => [m.id, m.conversation_id]));
  const firstSeen = new Map<string, string[]>();
  const counted = new Set<string>();
  for (const d of delivered) {
    if (counted.has(d.key)) continue;
    counted.add(d.key);
    const conversation = conversationOf.get(d.key) ?? d.conversationId;
    firstSeen.set(conversation, [...(firstSeen.get(conversation) ?? []), d.key]);
  }
  return [...firstSeen.values()].reduce((sum, keys) => sum + inversions(keys), 0);
}

function inboundOutOfOrder(
  accepted: AcceptedMessage[],
  stored: Map<string, StoredRows["inbound"][number]>,
): number {
  const perSender = groupBy(accepted, (m) => String(m.sender));
  let count = 0;
  for (const lines of perSender.values()) {
    const ids = lines
      .sort((a, b) => a.seq - b.seq)
      .flatMap((m) => (stored.has(m.id) ? [stored.get(m.id)!.id] : []));
    count += inversions(ids);
  }
  return count;
}

function webchatLedger(sessions: WebchatSession[], rows: StoredRows): MessageLedger["webchat"] {
  const conversationOf = new Map(rows.sessions.map((s) => [s.address, s.conversation_id]));
  const answered = new Set(rows.outbound.map((m) => m.conversation_id));
  const ledger = { sessions: sessions.length, unsent: 0, replied: 0, liveMissed: 0, lost: 0 };
  for (const s of sessions) {
    const conversation = conversationOf.get(s.session);
    if (!conversation) ledger.unsent++;
    else if (!answered.has(conversation)) ledger.lost++;
    else {
      ledger.replied++;
      if (!s.live) ledger.liveMissed++;
    }
  }
  return ledger;
}

/** Adjacent pairs out of ascending order. */
function inversions(values: string[]): number {
  let n = 0;
  for (let i = 1; i < values.length; i++) if (values[i - 1]! > values[i]!) n++;
  return n;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}

/** The `p`-th percentile (0-100) by nearest rank; null without samples. */
export function percentile(samples: number[], p: number): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
