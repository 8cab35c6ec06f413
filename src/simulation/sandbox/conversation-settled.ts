import type { Executor } from "../../store/index.ts";

export interface SettleOptions {
  /** Checks of the jobs table at most before the turn counts as stuck. */
  polls: number;
  /** Between checks. */
  intervalMs: number;
  /**
   * A job due within this long is waited for (a retry's backoff); one due later (held for
   * quiet hours) is not: the turn is over, its reply is held.
   */
  soonMs: number;
  now: () => number;
}

/**
 * Waits until the jobs of one conversation (answering it, delivering to it, telling the
 * team) are done or held for later: whatever the pipeline does with the customer's line has
 * been done. Polls the jobs table, as the worker itself claims from it; false when the
 * last poll still found work, so a stuck job ends the trial instead of hanging it.
 */
export async function conversationSettled(
  db: Executor,
  conversationId: string,
  options: SettleOptions,
): Promise<boolean> {
  // The queue keys conversation-service.ts gives a conversation's jobs.
  const keys = ["process", "deliver", "notify"].map((k) => `${k}:${conversationId}`);
  for (let poll = 0; poll < options.polls; poll++) {
    const row = await db.get<{ n: number | string }>(
      `SELECT COUNT(*) AS n FROM jobs WHERE queue_key IN (?, ?, ?)
         AND (status = 'running' OR (status = 'ready' AND run_at <= ?))`,
      [...keys, options.now() + options.soonMs],
    );
    if (Number(row?.n ?? 0) === 0) return true;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
  return false;
}
