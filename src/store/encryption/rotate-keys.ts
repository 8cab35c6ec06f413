import type { Executor, SqlValue } from "../database.ts";
import { sealedKeyId } from "./field-cipher.ts";
import { type FieldCodec, sealedFields } from "./field-codec.ts";
import { retireKeys } from "./key-registry.ts";
import { keyStatus } from "./key-status.ts";
import type { EncryptionOptions } from "./keyring.ts";
import { SEALED_COLUMNS, type SealedColumn, type SealedField } from "./sealed-columns.ts";

/** What rotation needs of the store: a transaction per chunk. */
export interface Transactional {
  db: Executor;
  transaction<T>(fn: (tx: { db: Executor }) => Promise<T>): Promise<T>;
}

export interface RotationChunk {
  field: string;
  /** Rows looked at in this chunk, and how many of them were sealed again. */
  checked: number;
  resealed: number;
  /** This column is done (every row on the active key). */
  done: boolean;
}

export interface RotationResult {
  /** Every sealed column has been walked to the active key. */
  complete: boolean;
  resealed: number;
  /** Keys no row uses any more, now retired. */
  retired: string[];
}

export interface RotateOptions {
  now: () => number;
  /** Rows per transaction (default 200): short transactions, so writers never wait long. */
  chunk?: number;
  /** Stop after this many chunks (run again to continue); default: until done. */
  maxChunks?: number;
  /** Told after each chunk's commit; the next chunk waits for it. */
  onChunk?: (chunk: RotationChunk) => void | Promise<void>;
}

interface Row {
  k: SqlValue;
  b: SqlValue;
  v: string | null;
  x: string | null;
  o: string | null;
}

/**
 * Seal every value of every sealed column with the active key (the first of
 * MAINSTAY_ENCRYPTION_KEYS): values under an older key and values stored before
 * encryption was on. Chunked, one transaction per chunk, walking each table by primary
 * key; the position is kept in `key_rotations`, so a run cut short continues where it
 * stopped. Instances keep serving meanwhile: they read old values with the old key (still
 * in their ring) and write new ones with the active key. Each row is written only if it
 * still holds what was read, so a concurrent change (an erasure) wins. Once every column is
 * done and no row uses an older key, that key is retired: a start no longer needs it.
 */
export async function rotateKeys(
  store: Transactional,
  encryption: EncryptionOptions,
  options: RotateOptions,
): Promise<RotationResult> {
  const activeId = encryption.keys[0]!.id;
  const chunk = options.chunk ?? 200;
  let chunks = 0;
  const codec = sealedFields(encryption);
  let resealed = 0;
  for (const column of SEALED_COLUMNS) {
    for (;;) {
      if (options.maxChunks !== undefined && chunks >= options.maxChunks) {
        return { complete: false, resealed, retired: [] };
      }
      chunks++;
      const step = await store.transaction((tx) =>
        rotateChunk(tx.db, codec, activeId, column, chunk, options.now()),
      );
      resealed += step.resealed;
      await options.onChunk?.(step);
      if (step.done) break;
    }
  }
  const inUse = new Set((await keyStatus(store.db)).map((c) => c.keyId));
  const rows = await store.db.all<{ key_id: string }>(
    "SELECT key_id FROM encryption_keys WHERE retired_at IS NULL AND key_id <> ?",
    [activeId],
  );
  const retired = rows.map((r) => r.key_id).filter((id) => !inUse.has(id));
  await retireKeys(store.db, retired, options.now());
  return { complete: true, resealed, retired };
}

async function rotateChunk(
  db: Executor,
  codec: FieldCodec,
  activeId: string,
  column: SealedColumn,
  size: number,
  now: number,
): Promise<RotationChunk> {
  const name = column.field;
  const field = column.field as SealedField;
  const progress = await db.get<{ key_id: string; position: string; done_at: number | null }>(
    "SELECT key_id, position, done_at FROM key_rotations WHERE name = ?",
    [name],
  );
  // A rotation towards another key starts over.
  const current = progress?.key_id === activeId ? progress : undefined;
  if (current?.done_at != null) return { field: name, checked: 0, resealed: 0, done: true };
  const numeric = column.key === "seq";
  const after: SqlValue = numeric ? Number(current?.position || 0) : (current?.position ?? "");
  const c = column.column;
  const rows = await db.all<Row>(
    `SELECT ${column.key} AS k, ${column.bind} AS b, ${c} AS v,
       ${column.blindIndex ? `${c}_bidx` : "NULL"} AS x,
       ${column.search ? column.search.owner : "NULL"} AS o
     FROM ${column.table} WHERE ${column.key} > ? ORDER BY ${column.key} LIMIT ?`,
    [after, size],
  );
  let resealed = 0;
  for (const row of rows) {
    if (row.v === null || row.v === "") continue;
    const onActive =
      sealedKeyId(row.v) === activeId &&
      (!column.blindIndex || String(row.x ?? "").startsWith(`${activeId}:`));
    if (onActive) continue;
    const plaintext = codec.open(field, String(row.b), row.v);
    const sealed = codec.seal(field, String(row.b), plaintext);
    const set = column.blindIndex ? `${c} = ?, ${c}_bidx = ?` : `${c} = ?`;
    const values = column.blindIndex ? [sealed, codec.blindIndex(plaintext)] : [sealed];
    const { changes } = await db.run(
      `UPDATE ${column.table} SET ${set} WHERE ${column.key} = ? AND ${c} = ?`,
      [...values, row.k, row.v],
    );
    if (changes === 0) continue;
    resealed++;
    // The update dropped the row's tokens (triggers): index it again under the active key.
    if (column.search) {
      await codec.indexForSearch(db, column.search.source, String(row.k), String(row.o), plaintext);
    }
  }
  const done = rows.length < size;
  const position = rows.length > 0 ? String(rows.at(-1)!.k) : String(after);
  await db.run(
    `INSERT INTO key_rotations (name, key_id, position, done_at, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET key_id = excluded.key_id, position = excluded.position,
       done_at = excluded.done_at, updated_at = excluded.updated_at`,
    [name, activeId, position, done ? now : null, now],
  );
  return { field: name, checked: rows.length, resealed, done };
}
