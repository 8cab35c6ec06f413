import type { Executor } from "../store/index.ts";

type Finisher = (tx: Executor) => Promise<void>;

const finishers = new WeakMap<object, { finish: Finisher; finished: boolean }>();

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
  await entry.finish(tx);
  entry.finished = true;
}

/** The worker's side: lets handlers of `job` finish it, and tells whether one did. */
export function allowFinishing(job: object, finish: Finisher): { finished(): boolean } {
  const entry = { finish, finished: false };
  finishers.set(job, entry);
  return { finished: () => entry.finished };
}
