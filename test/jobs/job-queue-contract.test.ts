import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import pino from "pino";
import {
  backoffDelay,
  JOBS_CHANNEL,
  type Job,
  JobWorker,
  jobQueue,
  PermanentJobError,
} from "../../src/jobs/index.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { seededRandom } from "../../src/shared/random.ts";
import type { Store } from "../../src/store/index.ts";
import { backends, openBackendStore } from "../support/backends.ts";

const spec = (queueKey: string, n: number) => ({
  kind: "test",
  payload: { n },
  queueKey,
  maxAttempts: 3,
  runAt: 0,
});

for (const backend of backends) {
  describe(`job queue contract: ${backend.name}`, () => {
    let store: Store;
    let close: () => Promise<void>;
    const clock = new ManualClock();

    before(async () => {
      ({ store, close } = await openBackendStore(backend, clock.now()));
    });
    after(() => close?.());
    beforeEach(async () => {
      await store.db.run("DELETE FROM jobs");
    });

    function worker(run: (job: Job) => Promise<void>, onDead?: (job: Job) => Promise<void>) {
      return new JobWorker({
        queue: jobQueue(store.db),
        handlers: { test: { run, onDead } },
        clock,
        random: seededRandom(7),
        logger: pino({ level: "silent" }),
        concurrency: 4,
        leaseMs: 1000,
        pollIntervalMs: 10,
        baseDelayMs: 100,
        maxDelayMs: 1000,
      });
    }

    it("announces an enqueue at commit, signed with the queue's announcer (PostgreSQL)", async (t) => {
      if (store.dialect !== "postgres")
        return t.skip("SQLite has one process: nothing to announce");
      // Channels are database-wide: other suites' enqueues may be heard too.
      let signedHeard!: () => void;
      const heard = new Promise<void>((resolve) => {
        signedHeard = resolve;
      });
      await store.listen(JOBS_CHANNEL, (payload) => {
        if (payload === "q_this_instance") signedHeard();
      });
      const signed = jobQueue(store.db, { announceAs: "q_this_instance" });
      assert.equal(signed.announcer, "q_this_instance");
      assert.equal(jobQueue(store.db).announcer, "", "unsigned by default: every instance wakes");
      await store.transaction((tx) => signed.enqueue(tx.db, spec("n", 1), clock.now()));
      await heard;
    });

    it("enqueues inside the caller's transaction", async () => {
      const queue = jobQueue(store.db);
      await assert.rejects(
        store.transaction(async (tx) => {
          await queue.enqueue(tx.db, spec("a", 1), clock.now());
          throw new Error("rolled back");
        }),
      );
      assert.equal(await queue.pendingCount(), 0);
      await store.transaction((tx) => queue.enqueue(tx.db, spec("a", 1), clock.now()));
      assert.equal(await queue.pendingCount(), 1);
    });

    it("runs one job per queue key at a time, in order", async () => {
      const queue = jobQueue(store.db);
      for (const [key, n] of [
        ["a", 1],
        ["b", 1],
        ["a", 2],
        ["a", 3],
        ["b", 2],
      ] as const) {
        await queue.enqueue(store.db, spec(key, n), clock.now());
      }
      const first = await queue.claim("w1", 10, clock.now(), 1000);
      assert.deepEqual(
        first.map((j) => [j.queueKey, j.payload["n"]]),
        [
          ["a", 1],
          ["b", 1],
        ],
      );
      assert.deepEqual(await queue.claim("w2", 10, clock.now(), 1000), []);
      await queue.complete(first[0]!, "w1");
      const next = await queue.claim("w2", 10, clock.now(), 1000);
      assert.deepEqual(
        next.map((j) => [j.queueKey, j.payload["n"]]),
        [["a", 2]],
      );
    });

    it("retries with backoff, keeps later jobs of the key waiting, then dead-letters", async () => {
      const queue = jobQueue(store.db);
      await queue.enqueue(store.db, spec("c", 1), clock.now());
      await queue.enqueue(store.db, spec("c", 2), clock.now());
      const ran: number[] = [];
      const dead: number[] = [];
      const w = worker(
        async (job) => {
          ran.push(job.payload["n"] as number);
          if (job.payload["n"] === 1) throw new Error("vendor down");
        },
        async (job) => {
          dead.push(job.payload["n"] as number);
        },
      );
      assert.equal(await w.runOnce(), 1);
      // Not due yet: the retry waits out its backoff, and job 2 waits behind it.
      assert.equal(await w.runOnce(), 0);
      clock.advance(100); // the longest first retry delay: baseDelayMs
      assert.equal(await w.runOnce(), 1);
      clock.advance(1000);
      assert.equal(await w.runOnce(), 1);
      assert.deepEqual(dead, [1]);
      const [buried] = await queue.listDead(10);
      assert.equal(buried?.attempts, 3);
      assert.equal(buried?.lastError, "vendor down");
      // With job 1 dead-lettered, job 2 is free to run.
      assert.equal(await w.runOnce(), 1);
      assert.deepEqual(ran, [1, 1, 1, 2]);
      assert.equal(await queue.pendingCount(), 0);
    });

    it("dead-letters at once on a permanent error", async () => {
      const queue = jobQueue(store.db);
      await queue.enqueue(store.db, spec("d", 1), clock.now());
      const w = worker(async () => {
        throw new PermanentJobError("rejected by vendor");
      });
      await w.runOnce();
      const dead = await queue.listDead(10);
      assert.equal(dead.length, 1);
      assert.equal(dead[0]?.attempts, 1);
    });

    it("takes back a job whose worker's lease ran out", async () => {
      const queue = jobQueue(store.db);
      await queue.enqueue(store.db, spec("e", 1), clock.now());
      const [job] = await queue.claim("crashed", 1, clock.now(), 1000);
      assert.ok(job);
      assert.deepEqual(await queue.claim("w2", 1, clock.now(), 1000), []);
      assert.equal(await queue.reclaimExpired(clock.now()), 0);
      clock.advance(1001);
      assert.equal(await queue.reclaimExpired(clock.now()), 1);
      const [again] = await queue.claim("w2", 1, clock.now(), 1000);
      assert.equal(again?.id, job.id);
      assert.equal(again?.attempts, 2);
      // The crashed worker can no longer complete or fail it.
      await queue.complete(job, "crashed");
      assert.equal(await queue.pendingCount(), 1);
    });

    it("never hands one job to two concurrent claimers", async () => {
      const queue = jobQueue(store.db);
      for (let i = 0; i < 60; i++) await queue.enqueue(store.db, spec(`k${i}`, i), clock.now());
      const claims = await Promise.all(
        Array.from({ length: 6 }, (_, w) => queue.claim(`w${w}`, 15, clock.now(), 1000)),
      );
      const ids = claims.flat().map((j) => j.id);
      assert.equal(ids.length, 60);
      assert.equal(new Set(ids).size, 60);
    });
  });
}

describe("backoffDelay", () => {
  it("grows exponentially within [d/2, d] and respects the cap", () => {
    const options = { baseDelayMs: 100, maxDelayMs: 2000 };
    const random = seededRandom(3);
    for (let attempt = 1; attempt <= 10; attempt++) {
      const full = Math.min(2000, 100 * 2 ** (attempt - 1));
      const d = backoffDelay(attempt, options, random);
      assert.ok(d >= full / 2 && d <= full, `attempt ${attempt}: ${d}`);
    }
  });
});
