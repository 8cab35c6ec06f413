import type { Dialect, Executor } from "../database.ts";
import { readKeys } from "./key-registry.ts";
import { SEALED_COLUMNS } from "./sealed-columns.ts";

/** Values of one sealed column per data key id; `plaintext` counts values stored unsealed. */
export interface ColumnKeyCount {
  field: string;
  keyId: string | "plaintext";
  count: number;
}

/** The key id of a sealed value in SQL (`''` for plaintext), per engine. */
const KEY_ID_SQL: Record<Dialect, (column: string) => string> = {
  sqlite: (c) =>
    `CASE WHEN substr(${c}, 1, 7) = 'enc:v1:' THEN substr(${c}, 8, instr(substr(${c}, 8), ':') - 1) ELSE '' END`,
  postgres: (c) => `CASE WHEN left(${c}, 7) = 'enc:v1:' THEN split_part(${c}, ':', 3) ELSE '' END`,
};

/**
 * How many values of each sealed column each data key holds (`mainstay keys status`). It reads
 * every row of those tables: an operator's question, not a hot path. Empty values (erased,
 * purged) are not counted: nothing is sealed there.
 */
export async function keyStatus(db: Executor): Promise<ColumnKeyCount[]> {
  const out: ColumnKeyCount[] = [];
  for (const c of SEALED_COLUMNS) {
    const keyId = KEY_ID_SQL[db.dialect](c.column);
    const rows = await db.all<{ key_id: string; n: number | string }>(
      `SELECT ${keyId} AS key_id, COUNT(*) AS n FROM ${c.table}
       WHERE ${c.column} IS NOT NULL AND ${c.column} <> '' GROUP BY ${keyId} ORDER BY 1`,
    );
    for (const r of rows) {
      out.push({ field: c.field, keyId: r.key_id || "plaintext", count: Number(r.n) });
    }
  }
  return out;
}

/** A key of `encryption_keys` as `mainstay keys status` shows it. */
export interface KeyState {
  keyId: string;
  kind: "data" | "index";
  masterKeyId: string;
  createdAt: number;
  retiredAt: number | null;
  /** Values sealed with it (data keys; an index key seals nothing). */
  values: number;
}

/** Every data and index key, with the values each data key seals (`counts` from keyStatus). */
export async function keyStates(db: Executor, counts: ColumnKeyCount[]): Promise<KeyState[]> {
  return (await readKeys(db)).map((row) => ({
    keyId: row.key_id,
    kind: row.kind,
    masterKeyId: row.master_key_id,
    createdAt: Number(row.created_at),
    retiredAt: row.retired_at === null ? null : Number(row.retired_at),
    values: counts.filter((c) => c.keyId === row.key_id).reduce((n, c) => n + c.count, 0),
  }));
}
