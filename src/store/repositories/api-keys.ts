import type { Executor } from "../database.ts";

/** What a scoped key may act on; an absent list does not limit that kind. */
export interface ApiKeyScopes {
  channels?: string[];
  agents?: string[];
}

/**
 * An API key made through the API, as stored: `tokenHash` is the SHA-256 of the token,
 * which is shown once and never kept; `tokenPrefix` is its first characters, to tell keys
 * apart in a list.
 */
export interface ApiKeyRecord {
  id: string;
  name: string;
  tokenHash: string;
  tokenPrefix: string;
  role: string;
  scopes: ApiKeyScopes | null;
  expiresAt: number | null;
  createdAt: number;
  createdBy: string;
  rotatedAt: number | null;
  rotatedBy: string | null;
  revokedAt: number | null;
  revokedBy: string | null;
  lastUsedAt: number | null;
}

interface ApiKeyRow {
  id: string;
  name: string;
  token_hash: string;
  token_prefix: string;
  role: string;
  scopes: string | null;
  expires_at: number | null;
  created_at: number;
  created_by: string;
  rotated_at: number | null;
  rotated_by: string | null;
  revoked_at: number | null;
  revoked_by: string | null;
  last_used_at: number | null;
}

const toRecord = (r: ApiKeyRow): ApiKeyRecord => ({
  id: r.id,
  name: r.name,
  tokenHash: r.token_hash,
  tokenPrefix: r.token_prefix,
  role: r.role,
  scopes: r.scopes === null ? null : (JSON.parse(r.scopes) as ApiKeyScopes),
  expiresAt: r.expires_at,
  createdAt: r.created_at,
  createdBy: r.created_by,
  rotatedAt: r.rotated_at,
  rotatedBy: r.rotated_by,
  revokedAt: r.revoked_at,
  revokedBy: r.revoked_by,
  lastUsedAt: r.last_used_at,
});

export type NewApiKey = Pick<
  ApiKeyRecord,
  "id" | "name" | "tokenHash" | "tokenPrefix" | "role" | "scopes" | "expiresAt" | "createdAt"
> & { createdBy: string };

const LIVE = "revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)";

export function apiKeysRepository(db: Executor) {
  return {
    /** False when the name is taken (names stay unique, revoked keys included). */
    async insert(key: NewApiKey): Promise<boolean> {
      const result = await db.run(
        `INSERT INTO api_keys (id, name, token_hash, token_prefix, role, scopes, expires_at,
           created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
        [
          key.id,
          key.name,
          key.tokenHash,
          key.tokenPrefix,
          key.role,
          key.scopes === null ? null : JSON.stringify(key.scopes),
          key.expiresAt,
          key.createdAt,
          key.createdBy,
        ],
      );
      return result.changes === 1;
    },

    /** The live (not revoked, not expired) key whose token hashes to `tokenHash`. */
    async findLiveByHash(tokenHash: string, now: number): Promise<ApiKeyRecord | undefined> {
      const row = await db.get<ApiKeyRow>(
        `SELECT * FROM api_keys WHERE token_hash = ? AND ${LIVE}`,
        [tokenHash, now],
      );
      return row && toRecord(row);
    },

    /** The live key of that name (console sessions act with their key's current role). */
    async findLiveByName(name: string, now: number): Promise<ApiKeyRecord | undefined> {
      const row = await db.get<ApiKeyRow>(`SELECT * FROM api_keys WHERE name = ? AND ${LIVE}`, [
        name,
        now,
      ]);
      return row && toRecord(row);
    },

    async get(id: string): Promise<ApiKeyRecord | undefined> {
      const row = await db.get<ApiKeyRow>("SELECT * FROM api_keys WHERE id = ?", [id]);
      return row && toRecord(row);
    },

    /** Every key, revoked and expired ones too, newest first. */
    async list(): Promise<ApiKeyRecord[]> {
      const rows = await db.all<ApiKeyRow>("SELECT * FROM api_keys ORDER BY created_at DESC, id");
      return rows.map(toRecord);
    },

    /** Gives a live key a new token; false when it is not live. */
    async rotate(
      id: string,
      change: { tokenHash: string; tokenPrefix: string; by: string },
      now: number,
    ): Promise<boolean> {
      const result = await db.run(
        `UPDATE api_keys SET token_hash = ?, token_prefix = ?, rotated_at = ?, rotated_by = ?
         WHERE id = ? AND ${LIVE}`,
        [change.tokenHash, change.tokenPrefix, now, change.by, id, now],
      );
      return result.changes === 1;
    },

    /** Ends a key; false when it was already revoked (an expired key can still be revoked). */
    async revoke(id: string, by: string, now: number): Promise<boolean> {
      const result = await db.run(
        "UPDATE api_keys SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL",
        [now, by, id],
      );
      return result.changes === 1;
    },

    /** Records a use, unless one was recorded less than `everyMs` ago. */
    async touch(id: string, now: number, everyMs: number): Promise<void> {
      await db.run(
        `UPDATE api_keys SET last_used_at = ?
         WHERE id = ? AND (last_used_at IS NULL OR last_used_at <= ?)`,
        [now, id, now - everyMs],
      );
    },

    /**
     * Claims the right to audit a use of key `keyName` on `route`: true when no instance
     * claimed it less than `everyMs` ago (the row is taken over atomically).
     */
    async claimUseEntry(
      keyName: string,
      route: string,
      now: number,
      everyMs: number,
    ): Promise<boolean> {
      const result = await db.run(
        `INSERT INTO api_key_uses (key_name, route, recorded_at) VALUES (?, ?, ?)
         ON CONFLICT (key_name, route) DO UPDATE SET recorded_at = excluded.recorded_at
         WHERE api_key_uses.recorded_at <= ?`,
        [keyName, route, now, now - everyMs],
      );
      return result.changes > 0;
    },
  };
}
