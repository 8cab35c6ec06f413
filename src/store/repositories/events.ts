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

/** The append-only log of what happened in a conversation (no update or delete exists). */
export function eventsRepository(db: Executor) {
  // The notification rides on the INSERT itself: no statement more per event.
  const append =
    db.dialect === "postgres"
      ? `INSERT INTO events (conversation_id, type, data, created_at) VALUES (?, ?, ?, ?)
         RETURNING seq, pg_notify('${EVENTS_CHANNEL}', CAST(seq AS TEXT))`
      : `INSERT INTO events (conversation_id, type, data, created_at) VALUES (?, ?, ?, ?)
         RETURNING seq`;
  return {
    /** Append an event; returns its seq. */
    async append(
      conversationId: string,
      type: string,
      data: Record<string, unknown>,
      now: number,
    ): Promise<number> {
      const row = await db.get<{ seq: number }>(append, [
        conversationId,
        type,
        JSON.stringify(data),
        now,
      ]);
      return row!.seq;
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
