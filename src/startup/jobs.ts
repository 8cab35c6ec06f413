import { outcomeLabelSettings } from "../conversations/index.ts";
import { Doorbell, type JobQueue, jobQueue } from "../jobs/index.ts";
import { createLimits, type Limits } from "../limits/index.ts";
import { notificationOutbox } from "../monitoring/index.ts";
import { buildLiveQuality, type LiveQuality } from "../quality/index.ts";
import { newId } from "../shared/index.ts";
import type { Foundation } from "./foundation.ts";
import type { Started } from "./started-parts.ts";
import type { Storage } from "./storage.ts";

export interface Jobs {
  /** The one queue of the store: the service, handlers and metrics share it. */
  queue: JobQueue;
  /** Rung after a job commits; the worker wakes on it. */
  doorbell: Doorbell;
  /** Alert notifications wait in the store; one job per destination sends them together. */
  alertOutbox: ReturnType<typeof notificationOutbox>;
  /** Judged samples of live traffic (`quality:`), when configured: its job rides on the queue. */
  quality: LiveQuality | undefined;
}

/** The job queue and the outbox of alert notifications that rides on it. */
export async function startJobs(
  { config, clock, random, logger, fetch, loaded }: Foundation,
  { store }: Storage,
): Promise<Started<Jobs>> {
  // Every enqueue through this queue is followed by a local doorbell ring once committed
  // (the conversation service, live quality) or is not due yet (alert notices wait to
  // group): this instance's worker need not hear its own announcements.
  const queue = jobQueue(store.db, { announceAs: newId("q") });
  // The embedded database has one process: a job still marked running was left by a crash.
  if (store.dialect === "sqlite") await queue.releaseAbandoned(clock.now());
  const alertOutbox = notificationOutbox({
    queue,
    destinations: config.alerts.destinations.map((d) => d.name),
    minIntervalMs: config.alerts.minIntervalMs,
    maxAttempts: config.outbox.maxAttempts,
  });
  const doorbell = new Doorbell();
  const quality =
    config.quality &&
    buildLiveQuality({
      config: config.quality,
      secrets: config.secrets,
      fetch,
      store,
      queue,
      clock,
      random,
      logger: logger.child({ module: "quality" }),
      outcomes: outcomeLabelSettings(config.outcomes),
      baseDir: loaded.baseDir,
      ...(config.agent.type === "builtin" && {
        builtin: { id: config.agent.id, knowledgeDir: config.agent.knowledgeDir },
      }),
      leaseMs: config.outbox.leaseMs,
      maxAttempts: config.outbox.maxAttempts,
      onEnqueued: doorbell.ring,
    });
  return { provides: { queue, doorbell, alertOutbox, quality } };
}

/** Rate limits, spend caps and sign-in lockout; their sweeps run on workers. */
export function startLimits(
  { config, clock, logger }: Foundation,
  { store }: Storage,
): Started<Limits> {
  const limits = createLimits(config.limits, { store, clock, logger });
  return { provides: limits, close: () => limits.stop() };
}
