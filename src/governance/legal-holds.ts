import { appendAudit } from "../audit/index.ts";
import { MainstayError } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import type { Executor, Repositories, Store } from "../store/index.ts";

export type HoldScope = "contact" | "conversation";

export interface LegalHold {
  id: string;
  scope: HoldScope;
  targetId: string;
  reason: string;
  createdBy: string;
  createdAt: number;
  releasedAt: number | null;
  releasedBy: string | null;
}

interface HoldRow {
  id: string;
  scope: HoldScope;
  target_id: string;
  reason: string;
  created_by: string;
  created_at: number;
  released_at: number | null;
  released_by: string | null;
}

const toHold = (r: HoldRow): LegalHold => ({
  id: r.id,
  scope: r.scope,
  targetId: r.target_id,
  reason: r.reason,
  createdBy: r.created_by,
  createdAt: Number(r.created_at),
  releasedAt: r.released_at === null ? null : Number(r.released_at),
  releasedBy: r.released_by,
});

/**
 * SQL true when the conversation in `column` is under no active hold, its own or its
 * contact's: what every purge and the erasure filter by.
 */
export function notHeld(column: string): string {
  return `NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.released_at IS NULL AND (
    (h.scope = 'conversation' AND h.target_id = ${column})
    OR (h.scope = 'contact' AND h.target_id = (SELECT hc.contact_id FROM conversations hc
      WHERE hc.id = ${column}))))`;
}

/** Active holds on the contact or on any of its conversations. */
export async function activeHoldsOn(db: Executor, contactId: string): Promise<LegalHold[]> {
  const rows = await db.all<HoldRow>(
    `SELECT * FROM legal_holds WHERE released_at IS NULL AND (
      (scope = 'contact' AND target_id = ?)
      OR (scope = 'conversation' AND target_id IN (SELECT id FROM conversations WHERE contact_id = ?)))
     ORDER BY id`,
    [contactId, contactId],
  );
  return rows.map(toHold);
}

export async function listHolds(
  db: Executor,
  filter: { scope?: HoldScope; targetId?: string; active: boolean },
): Promise<LegalHold[]> {
  const where: string[] = [];
  const params: string[] = [];
  if (filter.scope) where.push("scope = ?") && params.push(filter.scope);
  if (filter.targetId) where.push("target_id = ?") && params.push(filter.targetId);
  if (filter.active) where.push("released_at IS NULL");
  const sql = `SELECT * FROM legal_holds ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
    ORDER BY id DESC LIMIT 500`;
  return (await db.all<HoldRow>(sql, params)).map(toHold);
}

async function targetExists(tx: Repositories, scope: HoldScope, id: string): Promise<boolean> {
  const table = scope === "contact" ? "contacts" : "conversations";
  return (await tx.db.get(`SELECT id FROM ${table} WHERE id = ?`, [id])) !== undefined;
}

/**
 * Put a contact or conversation on hold. The reason stays in the hold's row, never in the
 * audit log: it may name people, and the log is never rewritten (docs/governance.md).
 */
export async function placeHold(
  store: Store,
  hold: { scope: HoldScope; targetId: string; reason: string; actor: string },
  now: number,
): Promise<LegalHold> {
  return store.transaction(async (tx) => {
    if (!(await targetExists(tx, hold.scope, hold.targetId))) {
      throw new MainstayError("MS_NOT_FOUND", `${hold.scope} ${hold.targetId} not found`, 404);
    }
    const id = newId("hold", now);
    await tx.db.run(
      `INSERT INTO legal_holds (id, scope, target_id, reason, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
      [id, hold.scope, hold.targetId, hold.reason, hold.actor, now],
    );
    await appendAudit(
      tx,
      {
        actor: hold.actor,
        action: "legal_hold.place",
        target: hold.targetId,
        data: { holdId: id, scope: hold.scope },
      },
      now,
    );
    return (await getHold(tx.db, id))!;
  });
}

export async function getHold(db: Executor, id: string): Promise<LegalHold | undefined> {
  const row = await db.get<HoldRow>("SELECT * FROM legal_holds WHERE id = ?", [id]);
  return row && toHold(row);
}

/**
 * Lift a hold. Retention starts over from the oldest rows (its progress is reset), so
 * what the hold kept back is purged on the next pass once it has expired.
 */
export async function liftHold(
  store: Store,
  id: string,
  actor: string,
  now: number,
): Promise<LegalHold> {
  return store.transaction(async (tx) => {
    const hold = await getHold(tx.db, id);
    if (!hold) throw new MainstayError("MS_NOT_FOUND", `legal hold ${id} not found`, 404);
    if (hold.releasedAt !== null) {
      throw new MainstayError("MS_HOLD_LIFTED", `legal hold ${id} was already lifted`, 409);
    }
    await tx.db.run("UPDATE legal_holds SET released_at = ?, released_by = ? WHERE id = ?", [
      now,
      actor,
      id,
    ]);
    await tx.db.run("DELETE FROM retention_progress");
    await appendAudit(
      tx,
      {
        actor,
        action: "legal_hold.lift",
        target: hold.targetId,
        data: { holdId: id, scope: hold.scope },
      },
      now,
    );
    return (await getHold(tx.db, id))!;
  });
}
