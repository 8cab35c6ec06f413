import type { Executor } from "../database.ts";

/**
 * Nonces (or signed timestamps) of requests already accepted, kept until their replay
 * window ends: a captured request sent again inside the window is recognised here, on
 * every instance, and one sent after it fails the timestamp check instead.
 */
export function seenNoncesRepository(db: Executor) {
  return {
    /** Records `nonce`; false when it was already seen in `scope` and has not expired. */
    async remember(scope: string, nonce: string, expiresAt: number, now: number): Promise<boolean> {
      // An expired row of the same nonce is taken over, so the table needs no sweep to work.
      const result = await db.run(
        `INSERT INTO seen_nonces (scope, nonce, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (scope, nonce) DO UPDATE SET expires_at = excluded.expires_at
         WHERE seen_nonces.expires_at <= ?`,
        [scope, nonce, expiresAt, now],
      );
      return result.changes > 0;
    },

    /** Lets `nonce` be accepted again: the call it came with was not stored, so a retry must pass. */
    async forget(scope: string, nonce: string): Promise<void> {
      await db.run("DELETE FROM seen_nonces WHERE scope = ? AND nonce = ?", [scope, nonce]);
    },

    /** Deletes expired nonces, at most `limit` at a time; returns how many went. */
    async sweep(now: number, limit = 1000): Promise<number> {
      const result = await db.run(
        `DELETE FROM seen_nonces WHERE (scope, nonce) IN (
           SELECT scope, nonce FROM seen_nonces WHERE expires_at <= ? LIMIT ?)`,
        [now, limit],
      );
      return result.changes;
    },
  };
}
