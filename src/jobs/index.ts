export { type BackoffOptions, backoffDelay } from "./backoff.ts";
export { Doorbell } from "./doorbell.ts";
export { finishJob } from "./finish-job.ts";
export { readJobPayload } from "./job-payload.ts";
export {
  JOBS_CHANNEL,
  type Job,
  type JobQueue,
  type JobSpec,
  jobQueue,
  type QueueStat,
} from "./job-queue.ts";
export {
  DeferJobError,
  type JobHandler,
  type JobOutcome,
  JobWorker,
  type JobWorkerOptions,
  PermanentJobError,
  RetryLaterError,
} from "./job-worker.ts";
