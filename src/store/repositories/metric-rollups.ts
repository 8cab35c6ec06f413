import type { Executor, SqlValue } from "../database.ts";

/** One stored figure: `count` observations adding up to `sum`, in one minute and group. */
export interface MetricRollup {
  metric: string;
  /** Start of the minute, epoch milliseconds. */
  minute: number;
  /** '' when the figure has no agent (or version, or channel). */
  agentId: string;
  agentVersion: string;
  channel: string;
  count: number;
  sum: number;
}

/** Labels a rollup can be filtered and grouped by. */
export type RollupDimension = "agent" | "version" | "channel";

export interface RollupQuery {
  metrics: readonly string[];
  /** Minute-aligned range [from, to). */
  from: number;
  to: number;
  /** Width of each slot in milliseconds (a multiple of a minute). */
  stepMs: number;
  filter: Partial<Record<RollupDimension, string>>;
  groupBy: readonly RollupDimension[];
}

/** Sums of one stored metric over one slot and group. */
export interface RollupAggregate {
  metric: string;
  /** Index of the slot from `from`. */
  slot: number;
  group: Partial<Record<RollupDimension, string>>;
  count: number;
  sum: number;
}

const COLUMNS: Record<RollupDimension, string> = {
  agent: "agent_id",
  version: "agent_version",
  channel: "channel",
};

const PROGRESS = "rollups";
/** Rows per INSERT: one round trip each instead of one per row. */
const INSERT_BATCH = 100;

/** Per-minute rollups: replaced a range at a time, read back summed per slot and group. */
export function metricRollupsRepository(db: Executor) {
  return {
    /**
     * Make the stored rows of minutes [from, to) exactly `rows`. Recomputing a range gives
     * the same rows, so instances doing it at once (PostgreSQL) end up with the same data.
     */
    async replaceRange(from: number, to: number, rows: MetricRollup[], now: number) {
      await db.run("DELETE FROM metric_rollups WHERE minute >= ? AND minute < ?", [from, to]);
      for (let i = 0; i < rows.length; i += INSERT_BATCH) {
        const batch = rows.slice(i, i + INSERT_BATCH);
        await db.run(
          `INSERT INTO metric_rollups (metric, minute, agent_id, agent_version, channel, count,
             sum, updated_at)
           VALUES ${batch.map(() => "(?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}
           ON CONFLICT (metric, minute, agent_id, agent_version, channel) DO UPDATE SET
             count = excluded.count, sum = excluded.sum, updated_at = excluded.updated_at`,
          batch.flatMap((r) => [
            r.metric,
            r.minute,
            r.agentId,
            r.agentVersion,
            r.channel,
            r.count,
            r.sum,
            now,
          ]),
        );
      }
    },

    async aggregate(query: RollupQuery): Promise<RollupAggregate[]> {
      if (query.metrics.length === 0) return [];
      const where = [`metric IN (${query.metrics.map(() => "?").join(", ")})`];
      const params: SqlValue[] = [query.from, query.stepMs, ...query.metrics];
      where.push("minute >= ?", "minute < ?");
      params.push(query.from, query.to);
      for (const [dimension, value] of Object.entries(query.filter)) {
        if (value === undefined) continue;
        where.push(`${COLUMNS[dimension as RollupDimension]} = ?`);
        params.push(value);
      }
      const groups = query.groupBy.map((d) => COLUMNS[d]);
      const rows = await db.all<Record<string, string | number>>(
        // CAST: SQLite binds the numbers as REAL, which would divide without truncating.
        `SELECT metric, CAST((minute - ?) / ? AS INTEGER) AS slot${groups.map((c) => `, ${c}`).join("")},
           SUM(count) AS count, SUM(sum) AS sum
         FROM metric_rollups WHERE ${where.join(" AND ")}
         GROUP BY metric, slot${groups.map((c) => `, ${c}`).join("")}`,
        params,
      );
      // PostgreSQL sums BIGINT into NUMERIC, which arrives as text.
      return rows.map((row) => ({
        metric: String(row["metric"]),
        slot: Number(row["slot"]),
        group: Object.fromEntries(query.groupBy.map((d) => [d, String(row[COLUMNS[d]])])),
        count: Number(row["count"]),
        sum: Number(row["sum"]),
      }));
    },

    /** The end of the rolled-up minutes, or undefined before the first pass. */
    async progress(): Promise<number | undefined> {
      const row = await db.get<{ position: number }>(
        "SELECT position FROM rollup_progress WHERE name = ?",
        [PROGRESS],
      );
      return row?.position;
    },

    /** Move the progress forward to `position` (never back). */
    async advance(position: number, now: number): Promise<void> {
      await db.run(
        `INSERT INTO rollup_progress (name, position, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET position = excluded.position,
           updated_at = excluded.updated_at
         WHERE rollup_progress.position < excluded.position`,
        [PROGRESS, position, now],
      );
    },
  };
}

export type MetricRollupsRepository = ReturnType<typeof metricRollupsRepository>;
