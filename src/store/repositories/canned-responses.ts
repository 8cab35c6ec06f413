import { newId } from "../../shared/ids.ts";
import type { Executor } from "../database.ts";

/** A saved reply an operator inserts by its shortcut; admins manage them. */
export interface CannedResponse {
  id: string;
  /** Unique, what an operator types after `/` to find it. */
  shortcut: string;
  text: string;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

interface CannedRow {
  id: string;
  shortcut: string;
  text: string;
  created_by: string;
  created_at: number;
  updated_at: number;
}

const toCanned = (r: CannedRow): CannedResponse => ({
  id: r.id,
  shortcut: r.shortcut,
  text: r.text,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function cannedResponsesRepository(db: Executor) {
  return {
    /** Undefined when another one has the shortcut already. */
    async create(
      input: { shortcut: string; text: string; createdBy: string },
      now: number,
    ): Promise<CannedResponse | undefined> {
      const id = newId("canned", now);
      const result = await db.run(
        `INSERT INTO canned_responses (id, shortcut, text, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        [id, input.shortcut, input.text, input.createdBy, now, now],
      );
      if (result.changes !== 1) return undefined;
      return { id, ...input, createdAt: now, updatedAt: now };
    },

    async get(id: string): Promise<CannedResponse | undefined> {
      const row = await db.get<CannedRow>("SELECT * FROM canned_responses WHERE id = ?", [id]);
      return row && toCanned(row);
    },

    async findByShortcut(shortcut: string): Promise<CannedResponse | undefined> {
      const row = await db.get<CannedRow>("SELECT * FROM canned_responses WHERE shortcut = ?", [
        shortcut,
      ]);
      return row && toCanned(row);
    },

    /** All of them by shortcut (a team keeps tens, not thousands). */
    async list(limit: number): Promise<CannedResponse[]> {
      const rows = await db.all<CannedRow>(
        "SELECT * FROM canned_responses ORDER BY shortcut LIMIT ?",
        [limit],
      );
      return rows.map(toCanned);
    },

    /** Change its shortcut and text; false when it is gone. */
    async update(id: string, input: { shortcut: string; text: string }, now: number) {
      const result = await db.run(
        "UPDATE canned_responses SET shortcut = ?, text = ?, updated_at = ? WHERE id = ?",
        [input.shortcut, input.text, now, id],
      );
      return result.changes === 1;
    },

    async remove(id: string): Promise<boolean> {
      const result = await db.run("DELETE FROM canned_responses WHERE id = ?", [id]);
      return result.changes === 1;
    },
  };
}
