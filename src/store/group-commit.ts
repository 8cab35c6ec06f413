import { MainstayError } from "../shared/errors.ts";

export interface GroupCommitOptions<T> {
  /**
   * Writes one batch in one transaction; resolves once it committed, with an error for
   * each item it refused (the rest are written), or nothing when all were.
   */
  commit: (batch: readonly T[]) => Promise<ReadonlyArray<unknown> | undefined>;
  /** The most items one commit carries. */
  maxBatch: number;
  /**
   * The most items waiting for a commit: beyond it `submit` refuses at once (503 with
   * Retry-After), so a flood costs memory only up to here and the sender sends again.
   */
  maxWaiting: number;
}

interface Waiting<T> {
  item: T;
  done: () => void;
  failed: (e: unknown) => void;
}

/**
 * Group commit: every item submitted while the previous commit runs (or in the same turn
 * of the event loop) goes into the next commit, one transaction for all of them. `submit`
 * resolves only after the commit that holds its item, and rejects when that commit fails
 * or refused the item, so a caller answers "stored" only for what is durable. One commit
 * runs at a time.
 */
export class GroupCommit<T> {
  private waiting: Waiting<T>[] = [];
  private running: Promise<void> | undefined;
  private scheduled = false;

  constructor(private readonly options: GroupCommitOptions<T>) {}

  submit(item: T): Promise<void> {
    if (this.waiting.length >= this.options.maxWaiting) {
      return Promise.reject(
        new MainstayError(
          "MS_INTAKE_BUSY",
          "too many messages are waiting to be stored; send this one again shortly",
          503,
          { retryAfterSeconds: 1 },
        ),
      );
    }
    return new Promise<void>((done, failed) => {
      this.waiting.push({ item, done, failed });
      this.schedule();
    });
  }

  /** Items waiting for a commit, the running one's not counted. */
  get pending(): number {
    return this.waiting.length;
  }

  /** Resolves once everything submitted so far is committed (or failed). */
  async drain(): Promise<void> {
    while (this.running || this.waiting.length > 0) {
      if (!this.running) this.flush();
      await this.running?.catch(() => {});
    }
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    // What else arrives in this turn of the event loop joins the batch.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.running || this.waiting.length === 0) return;
    const batch = this.waiting.splice(0, this.options.maxBatch);
    this.running = this.options
      .commit(batch.map((w) => w.item))
      .then(
        (refused) => {
          for (const [i, w] of batch.entries()) {
            const error = refused?.[i];
            if (error === undefined) w.done();
            else w.failed(error);
          }
        },
        (e: unknown) => {
          for (const w of batch) w.failed(e);
        },
      )
      .finally(() => {
        this.running = undefined;
        // Whatever arrived meanwhile is the next batch.
        if (this.waiting.length > 0) this.schedule();
      });
  }
}
