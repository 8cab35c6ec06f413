import type { ServerResponse } from "node:http";
import { type JobHandler, jobQueue } from "../jobs/index.ts";
import type { Clock } from "../shared/clock.ts";
import { type ExchangeRecord, type RecordingService, recordExchanges } from "./record-exchange.ts";

/** The job that stores answered exchanges as conversation turns. */
export const PROXY_RECORD_JOB = "proxy.record";

/** A type, not an interface: a job's payload is a `Record<string, unknown>`. */
type RecordJobPayload = { exchanges: ExchangeRecord[] };

/** Exchanges per job: a busy second's worth in one transaction, small enough to retry. */
const MAX_EXCHANGES_PER_JOB = 200;
/**
 * How long an answered exchange may wait in memory for others to share its job. A job
 * costs about ten statements besides its exchanges (enqueue, claim, delete, their commits),
 * so one per exchange would cost more than the exchange, and on SQLite every statement
 * holds the event loop that serves the next answers. A crash loses at most this window of
 * the record (and exchanges still being answered), never an answer.
 */
const GATHER_MS = 50;
/** As `outbox.maxAttempts` defaults: recording fails only while the database does. */
const MAX_ATTEMPTS = 12;
/** One queue key: exchanges are recorded in the order they were answered. */
const QUEUE_KEY = "proxy.record";

/**
 * Where answered exchanges wait to be recorded, off the response path: an exchange is
 * taken once its response has closed (sent, or the client gone), the exchanges of the next
 * `GATHER_MS` join it in one record job (group commit), and the worker stores them. An
 * exchange whose job could not be written is lost from the record, never from the client:
 * `onLost` says so.
 */
export class ProxyRecordOutbox {
  private waiting: ExchangeRecord[] = [];
  private gathering: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly options: {
      /** Where the record job is enqueued; its commit wakes the local worker. */
      service: Pick<RecordingService, "transact">;
      clock: Clock;
      onLost: (error: unknown, exchanges: readonly ExchangeRecord[]) => void;
    },
  ) {}

  /** Record `exchange()` once `response` has closed; it is built then, not before. */
  recordAfter(response: ServerResponse, exchange: () => ExchangeRecord): void {
    const closed = response.closed
      ? Promise.resolve()
      : new Promise<void>((resolve) => response.once("close", () => resolve()));
    const taken = closed
      .then(() => this.add(exchange()))
      .catch((err: unknown) => this.options.onLost(err, []));
    this.pending.add(taken);
    void taken.finally(() => this.pending.delete(taken));
  }

  /**
   * Write what waits now, and resolve once every exchange given so far is in a committed
   * job (or reported lost): for shutdown, and for tests.
   */
  async idle(): Promise<void> {
    do {
      await Promise.all(this.pending);
      this.flush();
      await this.writing;
    } while (this.pending.size > 0 || this.waiting.length > 0);
  }

  private add(exchange: ExchangeRecord): void {
    this.waiting.push(exchange);
    this.schedule();
  }

  /** A full job is written at once; a partial one when its gathering window ends. */
  private schedule(): void {
    if (this.writing || this.waiting.length === 0) return;
    if (this.waiting.length >= MAX_EXCHANGES_PER_JOB) this.flush();
    else if (!this.gathering) {
      this.gathering = setTimeout(() => this.flush(), GATHER_MS);
      this.gathering.unref();
    }
  }

  private flush(): void {
    clearTimeout(this.gathering);
    this.gathering = undefined;
    if (this.waiting.length > 0) this.writing ??= this.write();
  }

  private async write(): Promise<void> {
    const exchanges = this.waiting.splice(0, MAX_EXCHANGES_PER_JOB);
    try {
      await this.enqueue(exchanges);
    } catch (err) {
      this.options.onLost(err, exchanges);
    }
    this.writing = undefined;
    this.schedule();
  }

  private enqueue(exchanges: ExchangeRecord[]): Promise<void> {
    const { service, clock } = this.options;
    const payload: RecordJobPayload = { exchanges };
    return service.transact(async (tx) => {
      const now = clock.now();
      const spec = {
        kind: PROXY_RECORD_JOB,
        payload,
        queueKey: QUEUE_KEY,
        maxAttempts: MAX_ATTEMPTS,
        runAt: now,
      };
      await jobQueue(tx.db).enqueue(tx.db, spec, now);
    });
  }
}

/** Stores the exchanges of a `proxy.record` job (main.ts gives it to the JobWorker). */
export function proxyRecordHandler(deps: { service: RecordingService }): JobHandler {
  return {
    async run(job) {
      const { exchanges } = job.payload as unknown as RecordJobPayload;
      await recordExchanges(deps.service, exchanges);
    },
  };
}
