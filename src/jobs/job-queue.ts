import type { Executor } from "../store/index.ts";

export interface JobSpec {
  kind: string;
  payload: Record<string, unknown>;
  /** Jobs with the same key run one at a time, in enqueue order (e.g. one conversation). */
  queueKey: string;
  maxAttempts: number;
  runAt: number;
}

export interface Job {
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  queueKey: string;
  status: "ready" | "running" | "dead";
  /** Attempts started so far, including the current one. */
  attempts: number;
  maxAttempts: number;
  runAt: number;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface QueueStat {
  kind: string;
  state: "due" | "scheduled" | "running" | "dead";
  count: number;
  oldestRunAt: number;
}

interface JobRow {
  id: number;
  kind: string;
  payload: string;
  queue_key: string;
  status: Job["status"];
  attempts: number;
  max_attempts: number;
  run_at: number;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

const toJob = (r: JobRow): Job => ({
  id: r.id,
  kind: r.kind,
  payload: JSON.parse(r.payload) as Record<string, unknown>,
  queueKey: r.queue_key,
  status: r.status,
  attempts: r.attempts,
  maxAttempts: r.max_attempts,
  runAt: r.run_at,
  lastError: r.last_error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/**
 * A durable job queue in the application's own database, so a job is enqueued in the same
 * transaction as the state change that caused it (the transactional outbox pattern).
 *
 * A job is claimable when it is due and no earlier job with the same queue key is still
 * pending (a job whose worker's lease ran out is made ready again by `reclaimExpired`): that keeps
 * per-conversation order even while an earlier job waits for a retry. On PostgreSQL,
 * `FOR UPDATE SKIP LOCKED` lets several instances claim different jobs without waiting
 * on each other or taking the same one. Finished jobs are deleted; jobs that used up their
 * attempts stay behind as `dead` (the dead-letter list) until requeued.
 */
/** The notification channel enqueues announce themselves on (PostgreSQL). */
export const JOBS_CHANNEL = "mainstay_jobs";

export interface JobQueueOptions {
  /**
   * Signs this queue's announcements (PostgreSQL NOTIFY payload), so its own instance can
   * ignore them: every caller of a signed queue wakes its local worker after committing,
   * and the echo of its own enqueue only cost an empty claim (two commits a message).
   * Unsigned announcements ("") wake every instance, this one too.
   */
  announceAs?: string;
}

/** `specs` as ready jobs, in one INSERT; each row announces itself on PostgreSQL. */
async function insertJobs(
  tx: Executor,
  specs: readonly JobSpec[],
  now: number,
  announcer: string,
): Promise<void> {
  if (specs.length === 0) return;
  // PostgreSQL: delivered at commit to every instance listening, whose workers wake at
  // once; riding on the INSERT, it costs no statement of its own.
  const postgres = tx.dialect === "postgres";
  const announce = postgres ? ` RETURNING pg_notify('${JOBS_CHANNEL}', ?)` : "";
  const rows = specs.map(() => "(?, ?, ?, 'ready', 0, ?, ?, ?, ?)").join(", ");
  const params = specs.flatMap((spec) => [
    spec.kind,
    JSON.stringify(spec.payload),
    spec.queueKey,
    spec.maxAttempts,
    spec.runAt,
    now,
    now,
  ]);
  await tx.run(
    `INSERT INTO jobs (kind, payload, queue_key, status, attempts, max_attempts, run_at,
       created_at, updated_at)
     VALUES ${rows}${announce}`,
    postgres ? [...params, announcer] : params,
  );
}

export function jobQueue(db: Executor, options: JobQueueOptions = {}) {
  const skipLocked = db.dialect === "postgres" ? "FOR UPDATE SKIP LOCKED" : "";
  const announcer = options.announceAs ?? "";
  return {
    /** The NOTIFY payload of this queue's enqueues; "" when unsigned. */
    announcer,
    enqueue(tx: Executor, spec: JobSpec, now: number): Promise<void> {
      return insertJobs(tx, [spec], now, announcer);
    },

    /**
     * All of `specs` in one multi-row INSERT (the queued intake's batch). On PostgreSQL
     * each row announces itself; notifications with the same payload in one transaction
     * are delivered once.
     */
    enqueueMany(tx: Executor, specs: readonly JobSpec[], now: number): Promise<void> {
      return insertJobs(tx, specs, now, announcer);
    },

    /**
     * `spec` with what the caller's context adds to a job (the trace context, when traced):
     * called where the work starts, for a job enqueued later on its behalf (enqueueMany).
     */
    stamp(spec: JobSpec): JobSpec {
      return spec;
    },

    async claim(workerId: string, limit: number, now: number, leaseMs: number): Promise<Job[]> {
      const rows = await db.all<JobRow>(
        `UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = ?,
           locked_by = ?, updated_at = ?
         WHERE id IN (
           SELECT j.id FROM jobs j
           WHERE j.status = 'ready' AND j.run_at <= ?
             AND NOT EXISTS (SELECT 1 FROM jobs p WHERE p.queue_key = j.queue_key
                             AND p.id < j.id AND p.status IN ('ready', 'running'))
           ORDER BY j.id LIMIT ? ${skipLocked})
         RETURNING *`,
        [now + leaseMs, workerId, now, now, limit],
      );
      return rows.map(toJob).sort((a, b) => a.id - b.id);
    },

    /**
     * Make jobs whose worker's lease ran out (the worker crashed) ready again. Kept out of
     * `claim` so the frequent claim stays an index walk; the worker calls it now and then.
     */
    async reclaimExpired(now: number): Promise<number> {
      const result = await db.run(
        `UPDATE jobs SET status = 'ready', run_at = ?, locked_by = NULL, locked_until = NULL,
           updated_at = ?
         WHERE status = 'running' AND locked_until < ?`,
        [now, now, now],
      );
      return result.changes;
    },

    /**
     * Finished: remove it. Only the worker holding the lease may. Returns whether a later
     * job of its queue key is waiting (claimable now that this one is gone), or undefined
     * when the lease was lost, so the worker knows whether to claim again.
     */
    async complete(job: Job, workerId: string, on: Executor = db): Promise<boolean | undefined> {
      const row = await on.get<{ waiting: number }>(
        `DELETE FROM jobs WHERE id = ? AND locked_by = ? AND status = 'running'
         RETURNING CASE WHEN EXISTS (SELECT 1 FROM jobs p WHERE p.queue_key = jobs.queue_key
           AND p.id > jobs.id AND p.status = 'ready') THEN 1 ELSE 0 END AS waiting`,
        [job.id, workerId],
      );
      return row && row.waiting === 1;
    },

    async retryLater(job: Job, workerId: string, runAt: number, error: string, now: number) {
      await db.run(
        `UPDATE jobs SET status = 'ready', run_at = ?, last_error = ?, locked_until = NULL,
           locked_by = NULL, updated_at = ?
         WHERE id = ? AND locked_by = ? AND status = 'running'`,
        [runAt, error, now, job.id, workerId],
      );
    },

    /** Run it again at `runAt`, giving back the attempt this run took. */
    async defer(job: Job, workerId: string, runAt: number, now: number) {
      await db.run(
        `UPDATE jobs SET status = 'ready', run_at = ?, attempts = attempts - 1,
           locked_until = NULL, locked_by = NULL, updated_at = ?
         WHERE id = ? AND locked_by = ? AND status = 'running'`,
        [runAt, now, job.id, workerId],
      );
    },

    async bury(job: Job, workerId: string, error: string, now: number): Promise<void> {
      await db.run(
        `UPDATE jobs SET status = 'dead', last_error = ?, locked_until = NULL, updated_at = ?
         WHERE id = ? AND locked_by = ? AND status = 'running'`,
        [error, now, job.id, workerId],
      );
    },

    /** Dead-lettered jobs, newest first, before the given id. */
    async listDead(limit: number, beforeId?: number): Promise<Job[]> {
      const rows = await db.all<JobRow>(
        "SELECT * FROM jobs WHERE status = 'dead' AND id < ? ORDER BY id DESC LIMIT ?",
        [beforeId ?? Number.MAX_SAFE_INTEGER, limit],
      );
      return rows.map(toJob);
    },

    /**
     * Make every running job ready now. Only for the embedded SQLite database, where this
     * process is the only worker, so any running job was left by a crash.
     */
    async releaseAbandoned(now: number): Promise<number> {
      const result = await db.run(
        `UPDATE jobs SET status = 'ready', run_at = ?, locked_by = NULL, locked_until = NULL,
           updated_at = ? WHERE status = 'running'`,
        [now, now],
      );
      return result.changes;
    },

    /**
     * Jobs per kind and state (`due`: ready and due; `scheduled`: ready for later, like a
     * retry's backoff or quiet hours; `running`; `dead`), with the oldest `run_at` of each:
     * read when metrics are scraped.
     */
    async stats(now: number): Promise<QueueStat[]> {
      return db.all<QueueStat>(
        `SELECT kind,
           CASE WHEN status = 'ready' AND run_at > ? THEN 'scheduled'
                WHEN status = 'ready' THEN 'due' ELSE status END AS state,
           COUNT(*) AS count, MIN(run_at) AS "oldestRunAt"
         FROM jobs GROUP BY 1, 2`,
        [now],
      );
    },

    /**
     * Jobs of these queue keys running, or ready and due before `dueBefore`: what is still
     * to be done for them soon (a job scheduled later, e.g. held for quiet hours, is not).
     */
    async unsettledCount(queueKeys: readonly string[], dueBefore: number): Promise<number> {
      const row = await db.get<{ n: number | string }>(
        `SELECT COUNT(*) AS n FROM jobs WHERE queue_key IN (${queueKeys.map(() => "?").join(", ")})
           AND (status = 'running' OR (status = 'ready' AND run_at <= ?))`,
        [...queueKeys, dueBefore],
      );
      return Number(row?.n ?? 0);
    },

    async pendingCount(): Promise<number> {
      const row = await db.get<{ n: number }>(
        "SELECT COUNT(*) AS n FROM jobs WHERE status IN ('ready', 'running')",
      );
      return row?.n ?? 0;
    },
  };
}

export type JobQueue = ReturnType<typeof jobQueue>;
