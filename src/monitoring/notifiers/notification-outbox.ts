import type { JobQueue } from "../../jobs/index.ts";
import type { Repositories } from "../../store/index.ts";
import type { NotificationItem } from "./notification.ts";

export const ALERT_NOTIFY_JOB = "alert.notify";

/**
 * The first message to an idle destination waits this long, so the items of one alert
 * evaluation (a storm fires many rules at once) and a rollback's notice travel together.
 */
export const GROUP_WAIT_MS = 10_000;

export interface NotificationOutboxOptions {
  queue: JobQueue;
  /** Every configured destination's name. */
  destinations: readonly string[];
  /** Least time between two messages to one destination. */
  minIntervalMs: number;
  maxAttempts: number;
}

/**
 * Notifications are stored per destination in the caller's transaction, and one
 * `alert.notify` job per destination sends whatever is due as one message, no sooner
 * than `minIntervalMs` after the last: a storm of alerts is a few messages, not thousands,
 * and nothing is lost when a destination is down (the job is retried).
 */
export function notificationOutbox(options: NotificationOutboxOptions) {
  const { queue, minIntervalMs, maxAttempts } = options;

  async function scheduleSend(tx: Repositories, destination: string, runAt: number, now: number) {
    await queue.enqueue(
      tx.db,
      {
        kind: ALERT_NOTIFY_JOB,
        payload: { destination },
        queueKey: `${ALERT_NOTIFY_JOB}:${destination}`,
        maxAttempts,
        runAt,
      },
      now,
    );
  }

  return {
    destinations: options.destinations,
    minIntervalMs,
    scheduleSend,

    /** Queue `item` for `to` (every destination by default), in the caller's transaction. */
    async add(
      tx: Repositories,
      item: NotificationItem,
      now: number,
      to: readonly string[] = options.destinations,
    ): Promise<void> {
      for (const destination of to) {
        await tx.alertStates.addNotification(destination, item, now);
        const claim = await tx.alertStates.schedule(destination);
        if (!claim) continue;
        const runAt = Math.max(
          now + GROUP_WAIT_MS,
          claim.lastSentAt === null ? 0 : claim.lastSentAt + minIntervalMs,
        );
        await scheduleSend(tx, destination, runAt, now);
      }
    },
  };
}

export type NotificationOutbox = ReturnType<typeof notificationOutbox>;
