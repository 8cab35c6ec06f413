import { hostname } from "node:os";
import type { Logger } from "pino";
import type { Clock } from "../shared/clock.ts";
import { describeError } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import type { Random } from "../shared/random.ts";
import { type BackoffOptions, backoffDelay } from "./backoff.ts";
import { allowFinishing } from "./finish-job.ts";
import type { Job, JobQueue } from "./job-queue.ts";

export interface JobHandler {
  run(job: Job): Promise<void>;
  /** Called once when the job used up its attempts and was dead-lettered. */
  onDead?(job: Job, error: string): Promise<void>;
}

/** Throw this from a handler to dead-letter at once: retrying cannot help. */
export class PermanentJobError extends Error {}

/**
 * Throw this when the job may not run yet (a message held for quiet hours): it runs again
 * at `runAt` without spending an attempt.
 */
export class DeferJobError extends Error {
  constructor(
    message: string,
    readonly runAt: number,
  ) {
    super(message);
  }
}

/** Throw this to retry no sooner than `delayMs` (a vendor's `Retry-After`). */
export class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
  }
}

export interface JobWorkerOptions extends BackoffOptions {
  queue: JobQueue;
  handlers: Record<string, JobHandler>;
  clock: Clock;
  random: Random;
  logger: Logger;
  concurrency: number;
  leaseMs: number;
  pollIntervalMs: number;
  /**
   * Runs around each job, its retry or dead-letter bookkeeping included, and sees how it
   * ended: monitoring counts jobs and gives each a trace span and a log context here, so
   * the worker's own lines carry them too. It must not throw.
   */
  around?: (job: Job, execute: () => Promise<JobOutcome>) => Promise<JobOutcome>;
}

/** How one run of a job ended. */
export type JobOutcome =
  | { status: "done" }
  | { status: "deferred" | "retrying" | "dead"; error: unknown };

/**
 * Claims due jobs and runs them, up to `concurrency` at once. Between polls it sleeps
 * until `pollIntervalMs` passes or `wake()` is called (after a local enqueue commits).
 * A job that ends claims again only when there may be work a claim did not take: a wake
 * came meanwhile, the last claim filled every free slot, the job failed, or its completion
 * found a later job of its queue key waiting; otherwise the queue held nothing more due
 * when it was last asked, and the claim would find nothing.
 * `stop()` stops claiming and waits for running jobs to finish.
 */
export class JobWorker {
  readonly id = `${hostname()}:${process.pid}:${newId("w")}`;
  private running = false;
  private inFlight = new Set<Promise<void>>();
  private wakeUp: (() => void) | undefined;
  /** There may be claimable jobs no claim has seen (a wake, a full batch, a job ending). */
  private owed = false;
  private loop: Promise<void> | undefined;
  private lastReclaim = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: JobWorkerOptions) {}

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.pollLoop();
  }

  wake(): void {
    this.owed = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Claim what is due now and run it to the end; tests drive the queue with this. */
  async runOnce(): Promise<number> {
    const jobs = await this.claim(this.options.concurrency);
    await Promise.all(jobs.map((job) => this.execute(job)));
    return jobs.length;
  }

  private async pollLoop(): Promise<void> {
    while (this.running) {
      const free = this.options.concurrency - this.inFlight.size;
      let claimed = 0;
      if (free > 0) {
        // A wake during the claim may be of a job it did not see: that wake owes another.
        this.owed = false;
        try {
          const jobs = await this.claim(free);
          claimed = jobs.length;
          for (const job of jobs) this.track(this.execute(job));
        } catch (e) {
          this.options.logger.error({ err: e }, "claiming jobs failed");
        }
      }
      // Full batch: there may be more waiting, go again at once (or when a slot frees).
      if (claimed > 0 && claimed === free) {
        this.owed = true;
        continue;
      }
      await this.sleep();
    }
  }

  private track(p: Promise<boolean>): void {
    // `execute` does not reject (`around` must not throw); if it did, claim again anyway.
    const tracked = p
      .then(undefined, () => true)
      .then((unblocked) => {
        this.inFlight.delete(tracked);
        if (unblocked) this.owed = true;
        // A slot is free: claim with it if a claim is owed.
        if (this.owed) this.wakeUp?.();
      });
    this.inFlight.add(tracked);
  }

  private sleep(): Promise<void> {
    const free = this.options.concurrency - this.inFlight.size;
    if (this.owed && free > 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.options.pollIntervalMs);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wakeUp = undefined;
        resolve();
      }
      this.wakeUp = done;
    });
  }

  private async claim(limit: number): Promise<Job[]> {
    const { queue, clock, leaseMs } = this.options;
    const now = clock.now();
    // Crashed workers' jobs come back within a fraction of the lease.
    if (now - this.lastReclaim >= leaseMs / 4) {
      this.lastReclaim = now;
      const reclaimed = await queue.reclaimExpired(now);
      if (reclaimed > 0) this.options.logger.warn({ reclaimed }, "took back jobs of a lost worker");
    }
    return queue.claim(this.id, limit, now, leaseMs);
  }

  /** Runs `job`; true when its end may have made other jobs claimable. */
  private async execute(job: Job): Promise<boolean> {
    const { around } = this.options;
    let unblocked = true;
    const run = async () => {
      const outcome = await this.attempt(job);
      unblocked = outcome.status !== "done" || outcome.unblocked === true;
      return outcome;
    };
    await (around ? around(job, run) : run());
    return unblocked;
  }

  private async attempt(job: Job): Promise<JobOutcome & { unblocked?: boolean }> {
    const { queue, clock, handlers, logger } = this.options;
    const handler = handlers[job.kind];
    const log = logger.child({ jobId: job.id, kind: job.kind, attempt: job.attempts });
    try {
      if (!handler) throw new PermanentJobError(`no handler for job kind "${job.kind}"`);
      const finishing = allowFinishing(job, (tx) => queue.complete(job, this.id, tx));
      await handler.run(job);
      // A handler that finished the job in its own transaction (finish-job.ts) saved this.
      const waiting = finishing.finished()
        ? finishing.waiting()
        : await queue.complete(job, this.id);
      // A lost lease (undefined) says nothing of the queue: claim again to be sure.
      return { status: "done", unblocked: waiting !== false };
    } catch (e) {
      const error = describeError(e);
      let status: "deferred" | "retrying" | "dead" = "retrying";
      try {
        if (e instanceof DeferJobError) {
          status = "deferred";
          log.info({ runAt: new Date(e.runAt).toISOString() }, e.message);
          await queue.defer(job, this.id, e.runAt, clock.now());
        } else if (e instanceof PermanentJobError || job.attempts >= job.maxAttempts) {
          status = "dead";
          log.error({ err: e }, "job dead-lettered");
          await queue.bury(job, this.id, error, clock.now());
          await handler?.onDead?.(job, error);
        } else {
          const backoff = backoffDelay(job.attempts, this.options, this.options.random);
          const delay = e instanceof RetryLaterError ? Math.max(backoff, e.delayMs) : backoff;
          log.warn({ err: e, retryInMs: delay }, "job failed, will retry");
          await queue.retryLater(job, this.id, clock.now() + delay, error, clock.now());
        }
      } catch (inner) {
        // The lease runs out and another claim retries the job; nothing is lost.
        log.error({ err: inner }, "recording the job failure failed");
      }
      return { status, error: e };
    }
  }
}
