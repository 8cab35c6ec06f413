import { newId } from "../../shared/ids.ts";
import type { Executor } from "../database.ts";

/** An operator's note on a conversation: for the team, never sent to the customer. */
export interface ConversationNote {
  id: string;
  conversationId: string;
  /** The principal name of who wrote it. */
  author: string;
  text: string;
  createdAt: number;
}

interface NoteRow {
  id: string;
  conversation_id: string;
  author: string;
  text: string;
  created_at: number;
}

const toNote = (r: NoteRow): ConversationNote => ({
  id: r.id,
  conversationId: r.conversation_id,
  author: r.author,
  text: r.text,
  createdAt: r.created_at,
});

export function conversationNotesRepository(db: Executor) {
  return {
    async add(
      input: { conversationId: string; author: string; text: string },
      now: number,
    ): Promise<ConversationNote> {
      const note = { id: newId("note", now), ...input, createdAt: now };
      await db.run(
        `INSERT INTO conversation_notes (id, conversation_id, author, text, created_at)
         VALUES (?, ?, ?, ?, ?)`,
        [note.id, note.conversationId, note.author, note.text, now],
      );
      return note;
    },

    /** The conversation's notes, oldest first, after `after` (a note id) when given. */
    async list(conversationId: string, limit: number, after?: string): Promise<ConversationNote[]> {
      const rows = await db.all<NoteRow>(
        `SELECT * FROM conversation_notes WHERE conversation_id = ? AND id > ?
         ORDER BY id LIMIT ?`,
        [conversationId, after ?? "", limit],
      );
      return rows.map(toNote);
    },
  };
}
