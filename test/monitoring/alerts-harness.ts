import pino from "pino";
import { JobWorker, jobQueue } from "../../src/jobs/index.ts";
import {
  ALERT_NOTIFY_JOB,
  alertNotifyHandler,
  alertsConfigSchema,
  type Digest,
  Monitor,
  type Notifier,
  notificationOutbox,
} from "../../src/monitoring/index.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { seededRandom } from "../../src/shared/random.ts";
import type { Store } from "../../src/store/index.ts";
import { type Backend, openBackendStore } from "../support/backends.ts";
import { monitoringFixtures } from "./rollup-fixtures.ts";

export const T0 = Date.UTC(2026, 0, 1, 12, 0);
export const MINUTE = 60_000;

export interface Sent {
  destination: string;
  digest: Digest;
}

/**
 * A migrated store, the monitor with the given `alerts:` config (only the rules named in
 * `only`, built-in ones included), and a job worker for `alert.notify` on a manual clock.
 * Destinations record what they are sent unless `notifiers` gives real ones.
 */
export async function openAlertHarness(
  backend: Backend,
  options: {
    alerts: Record<string, unknown>;
    only: string[];
    notifiers?: Map<string, Notifier>;
  },
) {
  const clock = new ManualClock(T0);
  const { store, close } = await openBackendStore(backend, clock.now());
  const alerts = alertsConfigSchema.parse(options.alerts);
  const queue = jobQueue(store.db);
  const logger = pino({ level: process.env["TEST_LOG_LEVEL"] ?? "silent" });
  const outbox = notificationOutbox({
    queue,
    destinations: alerts.destinations.map((d) => d.name),
    minIntervalMs: alerts.minIntervalMs,
    maxAttempts: 3,
  });
  const sent: Sent[] = [];
  const recording = (destination: string): Notifier => ({
    send: async (digest) => {
      sent.push({ destination, digest });
    },
  });
  const notifiers =
    options.notifiers ?? new Map(alerts.destinations.map((d) => [d.name, recording(d.name)]));
  const worker = new JobWorker({
    queue,
    handlers: {
      [ALERT_NOTIFY_JOB]: alertNotifyHandler({
        store,
        outbox,
        notifiers,
        clock,
        logger,
        sendTimeoutMs: 5_000,
      }),
    },
    clock,
    random: seededRandom(7),
    logger,
    concurrency: 4,
    leaseMs: 60_000,
    pollIntervalMs: 10,
    baseDelayMs: 1_000,
    maxDelayMs: 4_000,
  });
  const rules = alerts.rules.filter((r) => options.only.includes(r.name));
  const monitor = new Monitor({ store, clock, logger, rules, outbox });
  return {
    clock,
    store,
    fx: monitoringFixtures(store),
    monitor,
    worker,
    rules,
    sent,
    outbox,
    /** Move the clock to `at` and run monitoring rounds until the rollups have caught up. */
    async tickAt(at: number) {
      clock.set(at);
      for (;;) {
        const result = await monitor.tick();
        if (result.evaluated) return result;
      }
    },
    close,
  };
}

export type AlertHarness = Awaited<ReturnType<typeof openAlertHarness>>;

/** The notify jobs waiting in the queue, with when they are due. */
export async function pendingNotifyJobs(store: Store) {
  return store.db.all<{ payload: string; run_at: number; status: string }>(
    "SELECT payload, run_at, status FROM jobs WHERE kind = ? ORDER BY id",
    [ALERT_NOTIFY_JOB],
  );
}
