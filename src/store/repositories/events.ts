import type { Executor } from "../database.ts";
import type { ConversationEvent } from "../model.ts";

interface EventRow {
  seq: number;
  conversation_id: string;
  type: string;
  data: string;
  created_at: number;
}

/** The append-only log of what happened in a conversation (no update or delete exists). */
export function eventsRepository(db: Executor) {
  return {
    async append(
      conversationId: string,
      type: string,
      data: Record<string, unknown>,
      now: number,
    ): Promise<void> {
      await db.run(
        "INSERT INTO events (conversation_id, type, data, created_at) VALUES (?, ?, ?, ?)",
        [conversationId, type, JSON.stringify(data), now],
      );
    },

    async list(conversationId: string, afterSeq = 0, limit = 500): Promise<ConversationEvent[]> {
      const rows = await db.all<EventRow>(
        "SELECT * FROM events WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?",
        [conversationId, afterSeq, limit],
      );
      return rows.map((r) => ({
        seq: r.seq,
        conversationId: r.conversation_id,
        type: r.type,
        data: JSON.parse(r.data) as Record<string, unknown>,
        createdAt: r.created_at,
      }));
    },
  };
}

export type EventsRepository = ReturnType<typeof eventsRepository>;
