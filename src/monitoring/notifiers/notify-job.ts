import type { Logger } from "pino";
import type { JobHandler } from "../../jobs/index.ts";
import type { Clock } from "../../shared/clock.ts";
import type { Store } from "../../store/index.ts";
import type { NotificationItem, Notifier } from "./notification.ts";
import type { NotificationOutbox } from "./notification-outbox.ts";

/** Items one message lists at most; the rest are counted and follow in the next. */
export const MAX_ITEMS_PER_MESSAGE = 100;

export interface AlertNotifyOptions {
  store: Store;
  outbox: NotificationOutbox;
  notifiers: ReadonlyMap<string, Notifier>;
  clock: Clock;
  logger: Logger;
  /** Bound on one send, below the job lease. */
  sendTimeoutMs: number;
}

/**
 * The `alert.notify` job: send a destination everything due as one message, then free the
 * destination, or schedule the next message after the minimum interval when more came in.
 * A failed send is retried like any job; at-least-once, with a stable digest id.
 */
export function alertNotifyHandler(options: AlertNotifyOptions): JobHandler {
  const { store, outbox, notifiers, clock } = options;
  const destinationOf = (payload: Record<string, unknown>) => String(payload["destination"]);

  return {
    async run(job) {
      const destination = destinationOf(job.payload);
      const pending = await store.alertStates.unsent(destination, MAX_ITEMS_PER_MESSAGE);
      const notifier = notifiers.get(destination);
      if (pending.length > 0) {
        if (notifier) {
          const total = await store.alertStates.countUnsent(destination);
          await notifier.send(
            {
              id: `${destination}-${pending[0]!.seq}-${pending.at(-1)!.seq}`,
              items: pending.map((p) => p.data as unknown as NotificationItem),
              more: total - pending.length,
            },
            AbortSignal.timeout(options.sendTimeoutMs),
          );
        } else {
          options.logger.warn(
            { destination, dropped: pending.length },
            "notifications for a destination no longer configured are dropped",
          );
        }
      }
      const now = clock.now();
      await store.transaction(async (tx) => {
        await tx.alertStates.finishSend(destination, pending.length > 0 ? now : null);
        await tx.alertStates.markSent(
          destination,
          pending.map((p) => p.seq),
          now,
        );
        if (notifier && (await tx.alertStates.countUnsent(destination)) > 0) {
          await tx.alertStates.keepScheduled(destination);
          await outbox.scheduleSend(tx, destination, now + outbox.minIntervalMs, now);
        }
      });
    },

    async onDead(job, error) {
      const destination = destinationOf(job.payload);
      options.logger.error({ destination, error }, "alert notification dead-lettered");
      // Free the destination: what was not sent goes out with the next notification.
      await store.alertStates.finishSend(destination, null);
    },
  };
}
