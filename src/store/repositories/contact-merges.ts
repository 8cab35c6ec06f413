import { newId } from "../../shared/ids.ts";
import type { Executor } from "../database.ts";
import type { ContactMerge } from "../model.ts";

interface ContactMergeRow {
  id: string;
  target_contact_id: string;
  source_contact_id: string;
  identity_ids: string;
  conversation_ids: string;
  reason: string;
  created_at: number;
  undone_at: number | null;
}

const toContactMerge = (r: ContactMergeRow): ContactMerge => ({
  id: r.id,
  targetContactId: r.target_contact_id,
  sourceContactId: r.source_contact_id,
  identityIds: JSON.parse(r.identity_ids) as string[],
  conversationIds: JSON.parse(r.conversation_ids) as string[],
  reason: r.reason,
  createdAt: r.created_at,
  undoneAt: r.undone_at,
});

export type NewContactMerge = Pick<
  ContactMerge,
  "targetContactId" | "sourceContactId" | "identityIds" | "conversationIds" | "reason"
>;

/** The record of merges: what moved from which contact to which, and whether it was undone. */
export function contactMergesRepository(db: Executor) {
  return {
    async create(input: NewContactMerge, now: number): Promise<ContactMerge> {
      const merge: ContactMerge = {
        id: newId("merge", now),
        ...input,
        createdAt: now,
        undoneAt: null,
      };
      await db.run(
        `INSERT INTO contact_merges (id, target_contact_id, source_contact_id, identity_ids,
           conversation_ids, reason, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [
          merge.id,
          input.targetContactId,
          input.sourceContactId,
          JSON.stringify(input.identityIds),
          JSON.stringify(input.conversationIds),
          input.reason,
          now,
        ],
      );
      return merge;
    },

    async get(id: string): Promise<ContactMerge | undefined> {
      const row = await db.get<ContactMergeRow>("SELECT * FROM contact_merges WHERE id = ?", [id]);
      return row && toContactMerge(row);
    },

    /** Merges into or out of a contact, newest first. */
    async listFor(contactId: string): Promise<ContactMerge[]> {
      const rows = await db.all<ContactMergeRow>(
        `SELECT * FROM contact_merges WHERE target_contact_id = ? OR source_contact_id = ?
         ORDER BY id DESC`,
        [contactId, contactId],
      );
      return rows.map(toContactMerge);
    },

    /** Returns false when the merge was already undone (or does not exist). */
    async markUndone(id: string, now: number): Promise<boolean> {
      const result = await db.run(
        "UPDATE contact_merges SET undone_at = ? WHERE id = ? AND undone_at IS NULL",
        [now, id],
      );
      return result.changes === 1;
    },
  };
}

export type ContactMergesRepository = ReturnType<typeof contactMergesRepository>;
