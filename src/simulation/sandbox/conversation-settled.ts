import { conversationQueueKeys } from "../../conversations/index.ts";
import type { JobQueue } from "../../jobs/index.ts";

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
 * been done. Polls the job queue, as the worker itself claims from it; false when the
 * last poll still found work, so a stuck job ends the trial instead of hanging it.
 */
export async function conversationSettled(
  queue: JobQueue,
  conversationId: string,
  options: SettleOptions,
): Promise<boolean> {
  const keys = Object.values(conversationQueueKeys(conversationId));
  for (let poll = 0; poll < options.polls; poll++) {
    if ((await queue.unsettledCount(keys, options.now() + options.soonMs)) === 0) return true;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
  return false;
}
