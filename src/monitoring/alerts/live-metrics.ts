import type { Executor } from "../../store/index.ts";

/** Metrics read from the job queue as it is now, not from rollups; they have no labels. */
export const LIVE_METRICS = {
  /** How long the oldest due job has waited to run. */
  queue_age_seconds: { unit: "seconds" },
  /** Jobs dead-lettered within the rule's window. */
  dead_letters: { unit: "count" },
  /** Agent turns a spend cap stopped within the rule's window (limits.spend). */
  spend_caps: { unit: "count" },
} as const;

export type LiveMetricName = keyof typeof LIVE_METRICS;

export const isLiveMetric = (name: string): name is LiveMetricName =>
  Object.hasOwn(LIVE_METRICS, name);

export async function readLiveMetric(
  db: Executor,
  metric: LiveMetricName,
  windowMs: number,
  now: number,
): Promise<number> {
  if (metric === "queue_age_seconds") {
    const row = await db.get<{ oldest: number | null }>(
      "SELECT MIN(run_at) AS oldest FROM jobs WHERE status = 'ready' AND run_at <= ?",
      [now],
    );
    return row?.oldest == null ? 0 : (now - Number(row.oldest)) / 1000;
  }
  // Both read a window of an index on time, whatever the history.
  const sql =
    metric === "dead_letters"
      ? "SELECT COUNT(*) AS n FROM jobs WHERE status = 'dead' AND updated_at > ?"
      : "SELECT COUNT(*) AS n FROM events WHERE created_at > ? AND type = 'spend.capped'";
  const row = await db.get<{ n: number }>(sql, [now - windowMs]);
  return Number(row?.n ?? 0);
}
