import type { z } from "zod";
import type { Job } from "./job-queue.ts";
import { PermanentJobError } from "./job-worker.ts";

/**
 * A job's payload checked against the schema of its kind. A payload that does not match
 * will never run, so it fails the job at once (dead-lettered, no retries), naming the
 * field: a job written by another version or by hand is visible, not a crash.
 */
export function readJobPayload<S extends z.ZodType>(job: Job, schema: S): z.output<S> {
  const parsed = schema.safeParse(job.payload);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = ["payload", ...issue.path.map(String)].join(".");
  throw new PermanentJobError(`malformed ${job.kind} job, ${field}: ${issue.message}`);
}
