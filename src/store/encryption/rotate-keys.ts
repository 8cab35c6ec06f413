import { MainstayError } from "../../shared/errors.ts";
import type { Executor, SqlValue } from "../database.ts";
import { sealedKeyId } from "./field-cipher.ts";
import type { FieldCodec } from "./field-codec.ts";
import { createDataKey, readKeys, refreshKeyring, retireKeys, rewrapKeys } from "./key-registry.ts";
import { keyStatus } from "./key-status.ts";
import type { Keyring } from "./keyring.ts";
import { SEALED_COLUMNS, type SealedColumn, type SealedField } from "./sealed-columns.ts";

/** What rotation needs of the store: its keys, and a transaction per chunk. */
export interface Transactional {
  db: Executor;
  fields: FieldCodec;
  transaction<T>(fn: (tx: { db: Executor }) => Promise<T>): Promise<T>;
}

export interface RotationChunk {
  field: string;
  /** Rows looked at in this chunk, and how many of them were sealed again. */
  checked: number;
  resealed: number;
  /** This column is done (every row on the new data key). */
  done: boolean;
}

export interface RotationResult {
  /** Keys wrapped again by the active master key. */
  rewrapped: string[];
  /** Master keys that wrap no key any more: they may leave the environment. */
  freed: string[];
  /** The data key values were sealed again with (none with `rewrapOnly`). */
  dataKey?: string;
  /** This run continued a rotation to `dataKey` cut short, rather than creating the key. */
  resumed: boolean;
  /** Every sealed column has been walked to `dataKey`. */
  complete: boolean;
  resealed: number;
  /** Data keys no row uses any more, now retired. */
  retired: string[];
}

export interface RotateOptions {
  now: () => number;
  /** Only wrap every key again under the active master key: no value is rewritten. */
  rewrapOnly?: boolean;
  /** Rows per transaction (default 200): short transactions, so writers never wait long. */
  chunk?: number;
  /** Stop after this many chunks (run again to continue); default: until done. */
  maxChunks?: number;
  /** Told after the re-wrap, before any value is sealed again. */
  onRewrap?: (result: Pick<RotationResult, "rewrapped" | "freed">) => void | Promise<void>;
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
 * Rotation in two steps. (1) Every data and index key is wrapped again by the active
 * master key (the first of MAINSTAY_ENCRYPTION_KEYS) in one short transaction: from its
 * commit on, older master keys are not needed. (2) Unless `rewrapOnly`: a new data key,
 * and every value of every sealed column sealed again with it (values under an older data
 * key and values stored before encryption was on). Chunked, one transaction per chunk,
 * walking each table by primary key; the position is kept in `key_rotations`, so a run
 * cut short continues where it stopped, with the same data key. Instances keep serving
 * meanwhile: they open values of a data key they do not know yet by reading
 * `encryption_keys` again (refreshing-database.ts), and pick up the new key to seal with
 * then or within a minute. Each row is written only if it still holds what was read, so a
 * concurrent change (an erasure) wins. Once every column is done, data keys no row uses
 * are retired: a start no longer needs them.
 */
export async function rotateKeys(
  store: Transactional,
  options: RotateOptions,
): Promise<RotationResult> {
  const keyring = store.fields.keyring;
  if (!keyring) {
    throw new MainstayError(
      "MS_ENCRYPTION_OFF",
      "MAINSTAY_ENCRYPTION_KEYS is not set: there is no key to rotate to",
    );
  }
  const rewrap = await store.transaction((tx) => rewrapKeys(tx.db, keyring.masters));
  await options.onRewrap?.(rewrap);
  const result = { ...rewrap, resumed: false, complete: true, resealed: 0, retired: [] };
  if (options.rewrapOnly) return result;

  await refreshKeyring(store.db, keyring);
  const resumed = await rotationUnderWay(store.db, keyring.active.id);
  // Not in a transaction: the keyring seals with the new key as soon as it exists, so
  // its row must be committed by then.
  const dataKey = resumed
    ? keyring.active.id
    : await createDataKey(store.db, keyring, options.now());
  const chunk = options.chunk ?? 200;
  let chunks = 0;
  let resealed = 0;
  for (const column of SEALED_COLUMNS) {
    for (;;) {
      if (options.maxChunks !== undefined && chunks >= options.maxChunks) {
        return { ...result, dataKey, resumed, complete: false, resealed };
      }
      chunks++;
      const step = await store.transaction((tx) =>
        rotateChunk(tx.db, store.fields, keyring, column, chunk, options.now()),
      );
      resealed += step.resealed;
      await options.onChunk?.(step);
      if (step.done) break;
    }
  }
  const inUse = new Set((await keyStatus(store.db)).map((c) => c.keyId));
  const retired = (await readKeys(store.db))
    .filter((r) => r.kind === "data" && r.retired_at === null && r.key_id !== dataKey)
    .map((r) => r.key_id)
    .filter((id) => !inUse.has(id));
  await retireKeys(store.db, retired, options.now());
  return { ...result, dataKey, resumed, resealed, retired };
}

/** Some sealed column has been walked towards `keyId` and some not yet. */
async function rotationUnderWay(db: Executor, keyId: string): Promise<boolean> {
  const rows = await db.all<{ done_at: number | null }>(
    "SELECT done_at FROM key_rotations WHERE key_id = ?",
    [keyId],
  );
  const done = rows.filter((r) => r.done_at !== null).length;
  return rows.length > 0 && done < SEALED_COLUMNS.length;
}

async function rotateChunk(
  db: Executor,
  codec: FieldCodec,
  keyring: Keyring,
  column: SealedColumn,
  size: number,
  now: number,
): Promise<RotationChunk> {
  const activeId = keyring.active.id;
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
      (!column.blindIndex || String(row.x ?? "").startsWith(`${keyring.index.id}:`));
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
    // The update dropped the row's tokens (triggers): index it again.
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
