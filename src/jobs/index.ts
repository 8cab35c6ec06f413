export { type BackoffOptions, backoffDelay } from "./backoff.ts";
export { type Job, type JobQueue, type JobSpec, jobQueue } from "./job-queue.ts";
export {
  DeferJobError,
  type JobHandler,
  JobWorker,
  type JobWorkerOptions,
  PermanentJobError,
  RetryLaterError,
} from "./job-worker.ts";
