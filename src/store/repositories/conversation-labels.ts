import type { Executor } from "../database.ts";

/** Labels on conversations (the inbox filters by them); a label is a short lowercase word. */
export function conversationLabelsRepository(db: Executor) {
  return {
    /** False when the conversation carried the label already. */
    async add(conversationId: string, label: string, now: number): Promise<boolean> {
      const result = await db.run(
        `INSERT INTO conversation_labels (conversation_id, label, created_at) VALUES (?, ?, ?)
         ON CONFLICT DO NOTHING`,
        [conversationId, label, now],
      );
      return result.changes === 1;
    },

    /** False when the conversation did not carry it. */
    async remove(conversationId: string, label: string): Promise<boolean> {
      const result = await db.run(
        "DELETE FROM conversation_labels WHERE conversation_id = ? AND label = ?",
        [conversationId, label],
      );
      return result.changes === 1;
    },

    /** The conversation's labels, in alphabetical order. */
    async of(conversationId: string): Promise<string[]> {
      const rows = await db.all<{ label: string }>(
        "SELECT label FROM conversation_labels WHERE conversation_id = ? ORDER BY label",
        [conversationId],
      );
      return rows.map((r) => r.label);
    },

    /** Every label in use and on how many conversations, most used first. */
    async inUse(limit: number): Promise<{ label: string; conversations: number }[]> {
      const rows = await db.all<{ label: string; n: number | string }>(
        `SELECT label, COUNT(*) AS n FROM conversation_labels GROUP BY label
         ORDER BY COUNT(*) DESC, label LIMIT ?`,
        [limit],
      );
      return rows.map((r) => ({ label: r.label, conversations: Number(r.n) }));
    },
  };
}
