import type { Executor } from "../database.ts";
import type { ConversationEvent } from "../model.ts";

/**
 * PostgreSQL notifies this channel of every appended event, at its commit, with the
 * event's seq as payload: every instance hears every conversation change this way.
 */
export const EVENTS_CHANNEL = "mainstay_events";

/** Rows read by one `IN (...)`: far under PostgreSQL's and SQLite's parameter limits. */
const MAX_SEQS_PER_READ = 500;

interface EventRow {
  seq: number;
  conversation_id: string;
  type: string;
  data: string;
  created_at: number;
}

const toEvent = (r: EventRow): ConversationEvent => ({
  seq: r.seq,
  conversationId: r.conversation_id,
  type: r.type,
  data: JSON.parse(r.data) as Record<string, unknown>,
  createdAt: r.created_at,
});

/** An event to append; its seq is given when it is inserted. */
interface NewEvent {
  conversationId: string;
  type: string;
  /** JSON, serialised when appended. */
  data: string;
  createdAt: number;
}

/** Rows per multi-row INSERT: 4 parameters each, far under both engines' limits. */
const MAX_EVENTS_PER_INSERT = 200;

/** Insert `events` in as few statements as their count allows, in order (seq order). */
async function insertEvents(db: Executor, events: readonly NewEvent[]): Promise<void> {
  // PostgreSQL: the notification rides on the INSERT itself, one per row, at commit.
  const returning =
    db.dialect === "postgres" ? ` RETURNING pg_notify('${EVENTS_CHANNEL}', CAST(seq AS TEXT))` : "";
  for (let i = 0; i < events.length; i += MAX_EVENTS_PER_INSERT) {
    const chunk = events.slice(i, i + MAX_EVENTS_PER_INSERT);
    const sql = `INSERT INTO events (conversation_id, type, data, created_at) VALUES ${chunk
      .map(() => "(?, ?, ?, ?)")
      .join(", ")}${returning}`;
    const params = chunk.flatMap((e) => [e.conversationId, e.type, e.data, e.createdAt]);
    if (returning) await db.all(sql, params);
    else await db.run(sql, params);
  }
}

/**
 * Holds the events a transaction appends and writes them in one multi-row INSERT before it
 * commits (most transactions append two or three). Its executor writes them first before
 * any statement that names the events table, so a read inside the transaction still sees
 * every event appended before it, and seqs keep the order of the appends.
 */
export function eventBuffer(tx: Executor) {
  let pending: NewEvent[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const events = pending;
    pending = [];
    await insertEvents(tx, events);
  };
  const before =
    <A extends [sql: string, ...rest: unknown[]], R>(fn: (...a: A) => Promise<R>) =>
    async (...a: A) => {
      if (pending.length > 0 && /\bevents\b/i.test(a[0])) await flush();
      return fn(...a);
    };
  const executor: Executor = {
    dialect: tx.dialect,
    all: before(tx.all.bind(tx)) as Executor["all"],
    get: before(tx.get.bind(tx)) as Executor["get"],
    run: before(tx.run.bind(tx)),
  };
  return { executor, add: (event: NewEvent) => void pending.push(event), flush };
}

export type EventBuffer = ReturnType<typeof eventBuffer>;

/**
 * The append-only log of what happened in a conversation (no update or delete exists).
 * Bound to a transaction's `buffer`, appends wait for its flush before the commit.
 */
export function eventsRepository(db: Executor, buffer?: EventBuffer) {
  return {
    async append(
      conversationId: string,
      type: string,
      data: Record<string, unknown>,
      now: number,
    ): Promise<void> {
      const event = { conversationId, type, data: JSON.stringify(data), createdAt: now };
      if (buffer) buffer.add(event);
      else await insertEvents(db, [event]);
    },

    async list(conversationId: string, afterSeq = 0, limit = 500): Promise<ConversationEvent[]> {
      const rows = await db.all<EventRow>(
        "SELECT * FROM events WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?",
        [conversationId, afterSeq, limit],
      );
      return rows.map(toEvent);
    },

    /** The events of these seqs (any conversation), in seq order; unknown ones are skipped. */
    async withSeqs(seqs: readonly number[]): Promise<ConversationEvent[]> {
      const events: ConversationEvent[] = [];
      for (let i = 0; i < seqs.length; i += MAX_SEQS_PER_READ) {
        const chunk = seqs.slice(i, i + MAX_SEQS_PER_READ);
        const rows = await db.all<EventRow>(
          `SELECT * FROM events WHERE seq IN (${chunk.map(() => "?").join(", ")}) ORDER BY seq`,
          chunk,
        );
        events.push(...rows.map(toEvent));
      }
      return events.sort((a, b) => a.seq - b.seq);
    },

    /** Events of every conversation after `afterSeq`, in seq order. */
    async after(afterSeq: number, limit = 500): Promise<ConversationEvent[]> {
      const rows = await db.all<EventRow>(
        "SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
        [afterSeq, limit],
      );
      return rows.map(toEvent);
    },

    async lastSeq(): Promise<number> {
      const row = await db.get<{ seq: number | null }>("SELECT MAX(seq) AS seq FROM events");
      return row?.seq ?? 0;
    },
  };
}

export type EventsRepository = ReturnType<typeof eventsRepository>;
