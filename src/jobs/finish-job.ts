import type { Executor } from "../store/index.ts";

/** Completes the job on `tx`; true when a later job of its queue key waits (job-queue.ts). */
type Finisher = (tx: Executor) => Promise<boolean | undefined>;

interface Finishing {
  finish: Finisher;
  finished: boolean;
  waiting: boolean | undefined;
}

const finishers = new WeakMap<object, Finishing>();

/**
 * Completes `job` inside the handler's own last transaction, so its work and its removal
 * from the queue commit together (one commit fewer per job). A handler calls it in the
 * transaction that makes the job's work durable; when that transaction rolls back, so does
 * the completion, and the handler's error retries the job as usual. Outside a worker (tests
 * calling `handler.run` directly) it does nothing.
 */
export async function finishJob(job: object, tx: Executor): Promise<void> {
  const entry = finishers.get(job);
  if (!entry) return;
  entry.waiting = await entry.finish(tx);
  entry.finished = true;
}

/**
 * The worker's side: lets handlers of `job` finish it, and tells whether one did and what
 * the completion found (whether a later job of the same queue key waits).
 */
export function allowFinishing(
  job: object,
  finish: Finisher,
): { finished(): boolean; waiting(): boolean | undefined } {
  const entry: Finishing = { finish, finished: false, waiting: undefined };
  finishers.set(job, entry);
  return { finished: () => entry.finished, waiting: () => entry.waiting };
}
