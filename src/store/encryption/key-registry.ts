import { MainstayError } from "../../shared/errors.ts";
import type { Executor } from "../database.ts";
import type { Keyring } from "./keyring.ts";

interface KeyRow {
  key_id: string;
  fingerprint: string;
  retired_at: number | null;
}

/**
 * At start: every key that may still seal a row must be in the ring, under its own
 * material, and the active key is recorded before it seals anything. One small read: the
 * `encryption_keys` table, not the sealed rows. Without encryption (`keyring` undefined)
 * a key still in use is an error too: its rows could not be read.
 */
export async function checkKeys(db: Executor, keyring: Keyring | undefined, now: number) {
  const rows = await db.all<KeyRow>("SELECT * FROM encryption_keys ORDER BY key_id");
  for (const row of rows) {
    if (row.retired_at !== null) continue;
    const key = keyring?.byId(row.key_id);
    if (!key) {
      throw new MainstayError(
        "MS_ENCRYPTION_KEY_MISSING",
        `rows are encrypted with key "${row.key_id}", which MAINSTAY_ENCRYPTION_KEYS does not hold: add it back (after the active key) until \`mainstay keys rotate\` has moved every row off it`,
      );
    }
    if (key.fingerprint !== row.fingerprint) {
      throw new MainstayError(
        "MS_ENCRYPTION_KEY_MISMATCH",
        `key "${row.key_id}" in MAINSTAY_ENCRYPTION_KEYS is not the key that id sealed rows with`,
      );
    }
  }
  if (!keyring) return;
  const active = keyring.active;
  const known = rows.find((r) => r.key_id === active.id);
  if (!known) {
    await db.run(
      `INSERT INTO encryption_keys (key_id, fingerprint, added_at) VALUES (?, ?, ?)
       ON CONFLICT DO NOTHING`,
      [active.id, active.fingerprint, now],
    );
  } else if (known.retired_at !== null) {
    // A retired key made active again: nothing uses it, so it may be new material.
    await db.run("UPDATE encryption_keys SET retired_at = NULL, fingerprint = ? WHERE key_id = ?", [
      active.fingerprint,
      active.id,
    ]);
  }
}

/** Keys no row uses any more (rotation counted): a start no longer needs them. */
export async function retireKeys(db: Executor, keyIds: string[], now: number): Promise<void> {
  for (const id of keyIds) {
    await db.run(
      "UPDATE encryption_keys SET retired_at = ? WHERE key_id = ? AND retired_at IS NULL",
      [now, id],
    );
  }
}
