import { createRetention } from "../governance/index.ts";
import type { Limits } from "../limits/index.ts";
import { Monitor } from "../monitoring/index.ts";
import type { RolloutService } from "../rollouts/index.ts";
import type { Conversations } from "./conversations.ts";
import type { Foundation } from "./foundation.ts";
import type { Jobs } from "./jobs.ts";
import type { Started } from "./started-parts.ts";
import type { Storage } from "./storage.ts";
import type { Telemetry } from "./telemetry.ts";

/** How often a worker checks the live rollouts' gates. */
const ROLLOUT_CHECK_MS = 10_000;

/**
 * The monitor (rollups and alert rules), retention, and the start of everything that runs on its own:
 * background work belongs to workers; an API instance only enqueues it. Each part that
 * started something stops it when that part closes.
 */
export function startBackground(
  { config, clock, logger, role }: Foundation,
  parts: {
    storage: Storage;
    jobs: Jobs;
    limits: Limits;
    rollouts: RolloutService;
    conversations: Conversations;
    telemetry: Telemetry;
  },
): Started<Monitor> {
  const monitor = new Monitor({
    store: parts.storage.store,
    clock,
    logger: logger.child({ module: "monitoring" }),
    rules: config.alerts.rules,
    outbox: parts.jobs.alertOutbox,
  });
  const retention = createRetention({
    store: parts.storage.store,
    config: config.retention,
    clock,
    logger: logger.child({ module: "retention" }),
    onPurged: (dataClass, rows) => parts.telemetry.metrics.retentionPurged(dataClass, rows),
  });
  if (role !== "api") {
    parts.conversations.worker.start();
    parts.limits.start();
    parts.rollouts.watch(ROLLOUT_CHECK_MS);
    monitor.start();
    retention.start();
    parts.jobs.quality?.start();
  }
  return {
    provides: monitor,
    close: async () => {
      parts.jobs.quality?.stop();
      await retention.stop();
      await monitor.stop();
    },
  };
}
