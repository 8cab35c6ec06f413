import type { Executor } from "../database.ts";
import type { FieldCodec } from "../encryption/index.ts";

/** One agent turn's steps, as the runtime stored them (already redacted and bounded). */
export interface TurnTraceRecord {
  turnId: string;
  conversationId: string;
  /** The customer line the turn answered, and the reply it queued (null: none sent). */
  messageId: string;
  replyId: string | null;
  steps: unknown[];
  createdAt: number;
}

interface Row {
  turn_id: string;
  conversation_id: string;
  message_id: string;
  reply_id: string | null;
  steps: string;
  created_at: number | string;
}

/** A stored row as a trace, its steps opened (they quote what the customer wrote). */
const recordFrom =
  (fields: FieldCodec) =>
  (row: Row): TurnTraceRecord => ({
    turnId: row.turn_id,
    conversationId: row.conversation_id,
    messageId: row.message_id,
    replyId: row.reply_id,
    steps: JSON.parse(fields.open("turn_traces.steps", row.turn_id, row.steps)) as unknown[],
    createdAt: Number(row.created_at),
  });

/** What each agent turn did, step by step (agents/turn-trace.ts), by conversation. */
export function turnTracesRepository(db: Executor, fields: FieldCodec) {
  const toRecord = recordFrom(fields);
  return {
    async insert(trace: TurnTraceRecord): Promise<void> {
      await db.run(
        `INSERT INTO turn_traces (turn_id, conversation_id, message_id, reply_id, steps, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
        [
          trace.turnId,
          trace.conversationId,
          trace.messageId,
          trace.replyId,
          fields.seal("turn_traces.steps", trace.turnId, JSON.stringify(trace.steps)),
          trace.createdAt,
        ],
      );
    },

    /** The conversation's traces, newest first. */
    async forConversation(conversationId: string, limit = 50): Promise<TurnTraceRecord[]> {
      const rows = await db.all<Row>(
        `SELECT * FROM turn_traces WHERE conversation_id = ?
         ORDER BY created_at DESC, turn_id DESC LIMIT ?`,
        [conversationId, limit],
      );
      return rows.map(toRecord);
    },
  };
}
