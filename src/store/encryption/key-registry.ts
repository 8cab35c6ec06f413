import { randomBytes } from "node:crypto";
import { MainstayError } from "../../shared/errors.ts";
import type { Executor } from "../database.ts";
import { unwrapKey, type WrapContext, wrapKey } from "./key-wrap.ts";
import {
  dataKey,
  type EncryptionOptions,
  indexKey,
  type Keyring,
  type MasterKey,
  masterFingerprint,
} from "./keyring.ts";

/** A row of `encryption_keys` (migration 20): a data or index key, wrapped by a master key. */
export interface KeyRow {
  key_id: string;
  kind: WrapContext["kind"];
  generation: number | string;
  master_key_id: string;
  master_fingerprint: string;
  wrapped_key: string;
  created_at: number | string;
  retired_at: number | string | null;
}

export const readKeys = (db: Executor) =>
  db.all<KeyRow>("SELECT * FROM encryption_keys ORDER BY kind, generation");

const contextOf = (row: KeyRow): WrapContext => ({ keyId: row.key_id, kind: row.kind });

/** The newest live key of `kind` (of one master's, for data keys). */
const newest = (rows: KeyRow[], kind: KeyRow["kind"], masterId?: string) =>
  rows
    .filter((r) => r.kind === kind && r.retired_at === null)
    .filter((r) => masterId === undefined || r.master_key_id === masterId)
    .sort((a, b) => Number(b.generation) - Number(a.generation))[0];

function missingMasters(rows: KeyRow[], masters: readonly MasterKey[]): MainstayError | undefined {
  const live = rows.filter(
    (r) => r.retired_at === null && !masters.some((m) => m.id === r.master_key_id),
  );
  if (live.length === 0) return undefined;
  const masterId = live[0]!.master_key_id;
  const keys = live.filter((r) => r.master_key_id === masterId).map((r) => r.key_id);
  return new MainstayError(
    "MS_ENCRYPTION_KEY_MISSING",
    `master key "${masterId}" is not in MAINSTAY_ENCRYPTION_KEYS and wraps the key(s) ${keys.join(", ")} that stored values need: add it back after the active key; \`mainstay keys rotate --rewrap-only\` then moves them to the active master key`,
  );
}

/** The master key a row names, checked, or undefined when this environment lacks it. */
function masterOf(row: KeyRow, masters: readonly MasterKey[]): MasterKey | undefined {
  const master = masters.find((m) => m.id === row.master_key_id);
  if (master && masterFingerprint(master) !== row.master_fingerprint) {
    throw new MainstayError(
      "MS_ENCRYPTION_KEY_MISMATCH",
      `master key "${master.id}" in MAINSTAY_ENCRYPTION_KEYS is not the key that id wrapped ${row.kind} key "${row.key_id}" with`,
    );
  }
  return master;
}

type Filling = Omit<Keyring, "active" | "index"> & Partial<Pick<Keyring, "active" | "index">>;

/**
 * Unwraps into `keyring` every row it does not hold yet. At start (`strict`) a wrong master
 * key or an altered row throws; later, while serving, it is noted like a missing master
 * key, and opening a value of that key fails with MS_ENCRYPTION_KEY_MISSING.
 */
function unwrapInto(keyring: Filling, rows: KeyRow[], strict: boolean) {
  for (const row of rows) {
    if (keyring.dataKeys.has(row.key_id) || keyring.index?.id === row.key_id) continue;
    let key: Buffer | undefined;
    try {
      const master = masterOf(row, keyring.masters);
      key = master && unwrapKey(master, contextOf(row), row.wrapped_key);
    } catch (error) {
      if (strict) throw error;
    }
    if (!key) {
      keyring.unreadable.set(row.key_id, row.master_key_id);
      continue;
    }
    if (row.kind === "data") keyring.dataKeys.set(row.key_id, dataKey(row.key_id, key));
    else if (row === newest(rows, "index")) keyring.index = indexKey(row.key_id, key);
    keyring.unreadable.delete(row.key_id);
  }
  const active = newest(rows, "data", keyring.masters[0]!.id);
  if (active) keyring.active = keyring.dataKeys.get(active.key_id)!;
}

/**
 * A new key of `kind` wrapped by `master`, as the next generation of its kind: two
 * instances creating one at once pick the same generation, one insert wins and the other
 * reads the winner's (UNIQUE (kind, generation)). Undefined when this insert lost.
 */
async function insertKey(
  db: Executor,
  kind: KeyRow["kind"],
  master: MasterKey,
  rows: KeyRow[],
  now: number,
): Promise<string | undefined> {
  const keyId = `${kind === "data" ? "dk" : "ix"}${randomBytes(4).toString("hex")}`;
  const generation =
    Math.max(0, ...rows.filter((r) => r.kind === kind).map((r) => Number(r.generation))) + 1;
  const wrapped = wrapKey(master, { keyId, kind }, randomBytes(32));
  const { changes } = await db.run(
    `INSERT INTO encryption_keys (key_id, kind, generation, master_key_id, master_fingerprint,
       wrapped_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    [keyId, kind, generation, master.id, masterFingerprint(master), wrapped, now],
  );
  return changes > 0 ? keyId : undefined;
}

// Each lost race means another instance created a key meanwhile; a few are plenty.
const ATTEMPTS = 5;

/**
 * At start: unwrap every key from `encryption_keys` with the master key it names. A live
 * key whose master key is not in the environment stops the start, naming it; so does a
 * different key under a known master id (fingerprint) or an altered row. Without a data
 * key of the active master yet, or an index key, one is created. Without encryption
 * (`encryption` undefined) a live data key is an error too: the values it sealed could
 * not be read.
 */
export async function openKeyring(
  db: Executor,
  encryption: EncryptionOptions | undefined,
  now: number,
): Promise<Keyring | undefined> {
  if (!encryption) {
    const failure = missingMasters(
      (await readKeys(db)).filter((r) => r.kind === "data"),
      [],
    );
    if (failure) throw failure;
    return undefined;
  }
  const masters = encryption.keys;
  for (let attempt = 1; ; attempt++) {
    const rows = await readKeys(db);
    const failure = missingMasters(rows, masters);
    if (failure) throw failure;
    const active = newest(rows, "data", masters[0]!.id);
    const index = newest(rows, "index");
    if (active && index) {
      const keyring: Filling = { masters, dataKeys: new Map(), unreadable: new Map() };
      unwrapInto(keyring, rows, true);
      // Both rows are live, so their master keys are here (missingMasters): both unwrapped.
      return keyring as Keyring;
    }
    if (attempt === ATTEMPTS) {
      throw new MainstayError("MS_ENCRYPTION_KEY_MISSING", "could not create a data key");
    }
    if (!index) await insertKey(db, "index", masters[0]!, rows, now);
    if (!active) await insertKey(db, "data", masters[0]!, rows, now);
  }
}

/**
 * Reads `encryption_keys` again: data keys other instances (a `keys rotate`) created since
 * are unwrapped, and the newest live one of the active master seals from now on.
 */
export async function refreshKeyring(db: Executor, keyring: Keyring): Promise<void> {
  unwrapInto(keyring, await readKeys(db), false);
}

/** A new data key of the active master, now the keyring's active one. */
export async function createDataKey(db: Executor, keyring: Keyring, now: number): Promise<string> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const id = await insertKey(db, "data", keyring.masters[0]!, await readKeys(db), now);
    if (id) {
      await refreshKeyring(db, keyring);
      return id;
    }
  }
  throw new MainstayError("MS_ENCRYPTION_KEY_MISSING", "could not create a data key");
}

export interface Rewrap {
  /** Keys now wrapped by the active master key that were not before. */
  rewrapped: string[];
  /** Master keys that wrapped some key before and wrap none now: they may leave. */
  freed: string[];
}

/**
 * Every key (retired ones too: an instance that has not yet picked up the newest data key
 * may still seal with one) wrapped again by the active master key. Keys whose master key
 * is absent here are left: they are retired (a live one would have stopped the start).
 */
export async function rewrapKeys(db: Executor, masters: readonly MasterKey[]): Promise<Rewrap> {
  const active = masters[0]!;
  const rows = await readKeys(db);
  const rewrapped: string[] = [];
  for (const row of rows) {
    if (row.master_key_id === active.id) continue;
    const master = masterOf(row, masters);
    if (!master) continue;
    const key = unwrapKey(master, contextOf(row), row.wrapped_key);
    const { changes } = await db.run(
      `UPDATE encryption_keys SET master_key_id = ?, master_fingerprint = ?, wrapped_key = ?
       WHERE key_id = ? AND wrapped_key = ?`,
      [
        active.id,
        masterFingerprint(active),
        wrapKey(active, contextOf(row), key),
        row.key_id,
        row.wrapped_key,
      ],
    );
    if (changes > 0) rewrapped.push(row.key_id);
  }
  const after = new Set((await readKeys(db)).map((r) => r.master_key_id));
  const freed = [...new Set(rows.map((r) => r.master_key_id))].filter((id) => !after.has(id));
  return { rewrapped, freed };
}

/** Data keys no row uses any more (rotation counted): a start no longer needs them. */
export async function retireKeys(db: Executor, keyIds: string[], now: number): Promise<void> {
  for (const id of keyIds) {
    await db.run(
      "UPDATE encryption_keys SET retired_at = ? WHERE key_id = ? AND kind = 'data' AND retired_at IS NULL",
      [now, id],
    );
  }
}
