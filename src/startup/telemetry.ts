import type { JobQueue } from "../jobs/index.ts";
import { createTelemetry } from "../monitoring/index.ts";
import { type ControlState, currentShare } from "../rollouts/index.ts";
import type { Foundation } from "./foundation.ts";
import type { StartOptions } from "./start-options.ts";
import type { Started } from "./started-parts.ts";

export type Telemetry = ReturnType<typeof createTelemetry>;

/** Metrics, traces and logs around every seam; the rollout gauges read the control state. */
export function startTelemetry(
  { config, env, clock, logger, costOf }: Foundation,
  queue: JobQueue,
  control: ControlState,
  { traceExporter }: Pick<StartOptions, "traceExporter">,
): Started<Telemetry> {
  const telemetry = createTelemetry({
    config: config.telemetry,
    env,
    clock,
    logger,
    queue,
    costOf,
    rolloutSteps: async () =>
      control.liveRollouts().map((r) => ({
        agent: r.agentId,
        rollout: r.id,
        step: r.step,
        share: currentShare(control.rolloutOf(r.agentId)!),
      })),
    traceExporter,
  });
  return { provides: telemetry, close: () => telemetry.shutdown() };
}
