import type { Job, JobOutcome } from "../../jobs/index.ts";
import type { MainstayMetrics } from "./mainstay-metrics.ts";

/** The worker's `around` that times every job run and counts it by how it ended. */
export function meterJobs(metrics: MainstayMetrics) {
  return async (job: Job, execute: () => Promise<JobOutcome>): Promise<JobOutcome> => {
    const started = performance.now();
    const outcome = await execute();
    metrics.jobs.inc({ kind: job.kind, outcome: outcome.status });
    metrics.jobDuration.observe({ kind: job.kind }, (performance.now() - started) / 1000);
    return outcome;
  };
}
