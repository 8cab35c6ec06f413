import type { Store } from "../../store/index.ts";
import { computeRollups, MINUTE_MS } from "./compute-rollups.ts";

/**
 * A minute is rolled up this long after it ends, so rows stamped inside it by
 * transactions still committing (or by an instance whose clock runs a little behind) are in.
 */
export const SETTLE_MS = 10_000;
/** Minutes one pass rolls up at most: a long outage is caught up in bounded steps. */
export const MINUTES_PER_PASS = 60;
/** Where the very first pass starts: a day of history is rolled up on upgrade. */
export const FIRST_PASS_BACKFILL_MS = 24 * 60 * MINUTE_MS;

/** The end of the last minute that may be rolled up at `now`. */
export const closedUntil = (now: number): number =>
  Math.floor((now - SETTLE_MS) / MINUTE_MS) * MINUTE_MS;

export interface RollupPass {
  /** Minutes [from, to) rolled up by this pass (from === to: nothing was due). */
  from: number;
  to: number;
  rows: number;
  /** Closed minutes are still waiting: run another pass. */
  behind: boolean;
}

/**
 * Roll up the next closed minutes after the stored progress. Recomputing a range replaces
 * it with the same rows, so a pass repeated after a crash, or run by two instances at once
 * (PostgreSQL), leaves the same data behind.
 */
export async function rollUpMinutes(store: Store, now: number): Promise<RollupPass> {
  const until = closedUntil(now);
  const from = (await store.metricRollups.progress()) ?? until - FIRST_PASS_BACKFILL_MS;
  const to = Math.min(until, from + MINUTES_PER_PASS * MINUTE_MS);
  if (to <= from) return { from, to: from, rows: 0, behind: false };
  const rows = await computeRollups(store.db, from, to);
  await store.transaction(async (tx) => {
    await tx.metricRollups.replaceRange(from, to, rows, now);
    await tx.metricRollups.advance(to, now);
  });
  return { from, to, rows: rows.length, behind: to < until };
}
