import type { Executor } from "../database.ts";
import { SqlFilter } from "../sql-filter.ts";

/** One audit entry as stored: `data` is the JSON text the hash covers, byte for byte. */
export interface AuditRecord {
  seq: number;
  actor: string;
  action: string;
  target: string;
  data: string;
  createdAt: number;
  prevHash: string;
  hash: string;
}

export interface AuditFilter {
  action?: string;
  actor?: string;
  target?: string;
  /** created_at >= from (epoch ms). */
  from?: number;
  /** created_at < to (epoch ms). */
  to?: number;
  /** Entries before this seq (the cursor of the previous page). */
  beforeSeq?: number;
  limit: number;
}

interface AuditRow {
  seq: number;
  actor: string;
  action: string;
  target: string;
  data: string;
  created_at: number;
  prev_hash: string;
  hash: string;
}

const toRecord = (r: AuditRow): AuditRecord => ({
  seq: r.seq,
  actor: r.actor,
  action: r.action,
  target: r.target,
  data: r.data,
  createdAt: r.created_at,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/** Where the kept chain starts after retention purged the entries before it. */
export interface AuditChainStart {
  /** The last purged entry: the first kept entry follows it. */
  seq: number;
  hash: string;
  purgedAt: number;
}

/**
 * The audit log's rows. Entries are only ever inserted; the one delete is retention's
 * (`purgeThrough`), which removes the oldest entries and records where the chain now starts.
 */
export function auditLogRepository(db: Executor) {
  return {
    /**
     * Hold the append lock until the transaction ends, so appenders on several instances
     * take turns. SQLite transactions are already serial (BEGIN IMMEDIATE).
     */
    async lockForAppend(): Promise<void> {
      // Any key unique to this lock: migrations take 4242.
      if (db.dialect === "postgres") await db.get("SELECT pg_advisory_xact_lock(4243)");
    },

    async last(): Promise<AuditRecord | undefined> {
      const row = await db.get<AuditRow>("SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1");
      return row && toRecord(row);
    },

    async insert(record: AuditRecord): Promise<void> {
      await db.run(
        `INSERT INTO audit_log (seq, actor, action, target, data, created_at, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          record.seq,
          record.actor,
          record.action,
          record.target,
          record.data,
          record.createdAt,
          record.prevHash,
          record.hash,
        ],
      );
    },

    /** Matching entries, newest first. */
    async list(filter: AuditFilter): Promise<AuditRecord[]> {
      const where = new SqlFilter()
        .addIf("action = ?", filter.action)
        .addIf("actor = ?", filter.actor)
        .addIf("target = ?", filter.target)
        .addIf("created_at >= ?", filter.from)
        .addIf("created_at < ?", filter.to)
        .addIf("seq < ?", filter.beforeSeq);
      const rows = await db.all<AuditRow>(
        `SELECT * FROM audit_log ${where.where} ORDER BY seq DESC LIMIT ?`,
        [...where.params, filter.limit],
      );
      return rows.map(toRecord);
    },

    async chainStart(): Promise<AuditChainStart | undefined> {
      const row = await db.get<{ seq: number; hash: string; purged_at: number }>(
        "SELECT seq, hash, purged_at FROM audit_chain_start WHERE id = 1",
      );
      return row && { seq: Number(row.seq), hash: row.hash, purgedAt: Number(row.purged_at) };
    },

    /** Remove every entry up to and including `last`, which becomes the chain's start. */
    async purgeThrough(last: AuditRecord, now: number): Promise<number> {
      const { changes } = await db.run("DELETE FROM audit_log WHERE seq <= ?", [last.seq]);
      await db.run("DELETE FROM audit_chain_start WHERE id = 1");
      await db.run("INSERT INTO audit_chain_start (id, seq, hash, purged_at) VALUES (1, ?, ?, ?)", [
        last.seq,
        last.hash,
        now,
      ]);
      return changes;
    },

    /** Up to `limit` entries after `afterSeq` and up to `throughSeq`, oldest first. */
    async page(afterSeq: number, throughSeq: number, limit: number): Promise<AuditRecord[]> {
      const rows = await db.all<AuditRow>(
        "SELECT * FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
        [afterSeq, throughSeq, limit],
      );
      return rows.map(toRecord);
    },
  };
}

export type AuditLogRepository = ReturnType<typeof auditLogRepository>;
