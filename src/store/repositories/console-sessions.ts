import type { Executor } from "../database.ts";

/**
 * A console sign-in as stored. `idHash` is the SHA-256 of the cookie and names the session
 * in the API; neither the cookie nor the CSRF token is kept, so a copy of the table signs
 * nobody in.
 */
export interface ConsoleSessionRecord {
  idHash: string;
  csrfHash: string;
  principalName: string;
  principalRole: string;
  createdAt: number;
  expiresAt: number;
}

interface ConsoleSessionRow {
  id_hash: string;
  csrf_hash: string;
  principal_name: string;
  principal_role: string;
  created_at: number;
  expires_at: number;
}

const toRecord = (r: ConsoleSessionRow): ConsoleSessionRecord => ({
  idHash: r.id_hash,
  csrfHash: r.csrf_hash,
  principalName: r.principal_name,
  principalRole: r.principal_role,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

const LIVE = "revoked_at IS NULL AND expires_at > ?";

export function consoleSessionsRepository(db: Executor) {
  return {
    async insert(session: ConsoleSessionRecord): Promise<void> {
      await db.run(
        `INSERT INTO console_sessions (id_hash, csrf_hash, principal_name, principal_role,
           created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
        [
          session.idHash,
          session.csrfHash,
          session.principalName,
          session.principalRole,
          session.createdAt,
          session.expiresAt,
        ],
      );
    },

    /** The session, unless it expired or was revoked. */
    async findLive(idHash: string, now: number): Promise<ConsoleSessionRecord | undefined> {
      const row = await db.get<ConsoleSessionRow>(
        `SELECT * FROM console_sessions WHERE id_hash = ? AND ${LIVE}`,
        [idHash, now],
      );
      return row && toRecord(row);
    },

    /** Live sessions, newest first, optionally of one key name. */
    async listLive(now: number, principalName?: string): Promise<ConsoleSessionRecord[]> {
      const rows = await db.all<ConsoleSessionRow>(
        `SELECT * FROM console_sessions WHERE ${LIVE}
         ${principalName === undefined ? "" : "AND principal_name = ?"}
         ORDER BY created_at DESC, id_hash`,
        principalName === undefined ? [now] : [now, principalName],
      );
      return rows.map(toRecord);
    },

    /** Ends one session; false when it was not live. */
    async revoke(idHash: string, now: number): Promise<boolean> {
      const result = await db.run(
        `UPDATE console_sessions SET revoked_at = ? WHERE id_hash = ? AND ${LIVE}`,
        [now, idHash, now],
      );
      return result.changes === 1;
    },

    /** Ends every live session of a key name; returns how many. */
    async revokeAllOf(principalName: string, now: number): Promise<number> {
      const result = await db.run(
        `UPDATE console_sessions SET revoked_at = ? WHERE principal_name = ? AND ${LIVE}`,
        [now, principalName, now],
      );
      return result.changes;
    },

    /** Deletes expired sessions (revoked ones too once expired), at most `limit` at a time. */
    async sweep(now: number, limit = 1000): Promise<number> {
      const result = await db.run(
        `DELETE FROM console_sessions WHERE id_hash IN (
           SELECT id_hash FROM console_sessions WHERE expires_at <= ? LIMIT ?)`,
        [now, limit],
      );
      return result.changes;
    },
  };
}
