import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { type RetryOptions, withRetry } from "../../../src/agents/middleware/index.ts";
import { backoffDelay } from "../../../src/jobs/index.ts";
import { seededRandom } from "../../../src/shared/random.ts";
import {
  badRequest,
  collect,
  collectUntilError,
  overloaded,
  request,
  type Step,
  scriptedProvider,
} from "./scripted-provider.ts";

/** A retrying provider over `steps`, with sleeps recorded instead of waited. */
function retrying(steps: Step[], options: RetryOptions = {}) {
  const sleeps: number[] = [];
  const a = scriptedProvider("a", steps);
  const provider = withRetry(a, {
    random: seededRandom(1),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });
  return { a, provider, sleeps };
}

/** The delays `withRetry`'s defaults draw from the same seed. */
function expectedDelays(count: number): number[] {
  const random = seededRandom(1);
  return Array.from({ length: count }, (_, i) =>
    backoffDelay(i + 1, { baseDelayMs: 250, maxDelayMs: 2000 }, random),
  );
}

describe("withRetry", () => {
  it("retries retryable errors with jittered exponential backoff", async () => {
    const { a, provider, sleeps } = retrying([
      { error: overloaded() },
      { error: overloaded() },
      { reply: "ok" },
    ]);
    assert.equal((await provider.chat(request())).text, "ok");
    assert.equal(a.requests.length, 3);
    assert.deepEqual(sleeps, expectedDelays(2));
    assert.ok(sleeps[0]! >= 125 && sleeps[0]! <= 250);
    assert.ok(sleeps[1]! >= 250 && sleeps[1]! <= 500);
  });

  it("rethrows the last error after maxAttempts calls", async () => {
    const last = overloaded();
    const { a, provider, sleeps } = retrying([{ error: overloaded() }, { error: last }], {
      maxAttempts: 2,
    });
    await assert.rejects(provider.chat(request()), (error) => error === last);
    assert.equal(a.requests.length, 2);
    assert.equal(sleeps.length, 1);
  });

  it("rethrows non-retryable errors at once", async () => {
    const { a, provider, sleeps } = retrying([{ error: badRequest() }, { reply: "ok" }]);
    await assert.rejects(provider.chat(request()), { message: "bad request" });
    await assert.rejects(
      retrying([{ error: new TypeError("bug") }]).provider.chat(request()),
      TypeError,
    );
    assert.equal(a.requests.length, 1);
    assert.deepEqual(sleeps, []);
  });

  it("waits at least the provider's Retry-After", async () => {
    const { provider, sleeps } = retrying([{ error: overloaded(5_000) }, { reply: "ok" }]);
    await provider.chat(request());
    assert.deepEqual(sleeps, [5_000]);
  });

  it("keeps the backoff when it is longer than Retry-After", async () => {
    const { provider, sleeps } = retrying([{ error: overloaded(1) }, { reply: "ok" }]);
    await provider.chat(request());
    assert.deepEqual(sleeps, expectedDelays(1));
  });

  it("gives up at once when Retry-After exceeds maxRetryAfterMs", async () => {
    const { a, provider, sleeps } = retrying([{ error: overloaded(31_000) }, { reply: "ok" }]);
    await assert.rejects(provider.chat(request()), { message: "overloaded" });
    assert.equal(a.requests.length, 1);
    assert.deepEqual(sleeps, []);

    const patient = retrying([{ error: overloaded(60_000) }, { reply: "ok" }], {
      maxRetryAfterMs: 60_000,
    });
    assert.equal((await patient.provider.chat(request())).text, "ok");
    assert.deepEqual(patient.sleeps, [60_000]);
  });

  it("sleeps on the caller's signal and stops once it aborts", async () => {
    const caller = new AbortController();
    const signals: (AbortSignal | undefined)[] = [];
    const { a, provider } = retrying([{ error: overloaded() }], {
      maxAttempts: 5,
      sleep: async (_, signal) => {
        signals.push(signal);
        caller.abort();
      },
    });
    await assert.rejects(provider.chat(request(caller.signal)), { message: "overloaded" });
    assert.deepEqual(signals, [caller.signal]);
    assert.equal(a.requests.length, 2);
  });

  it("retries a stream that failed before its first chunk", async () => {
    const { a, provider, sleeps } = retrying([{ error: overloaded() }, { chunks: ["o", "k"] }]);
    const chunks = await collect(provider.stream!(request()));
    assert.deepEqual(
      chunks.map((c) => c.type),
      ["text", "text", "done"],
    );
    assert.equal(a.requests.length, 2);
    assert.equal(sleeps.length, 1);
  });

  it("does not retry a stream that already yielded a chunk", async () => {
    const { a, provider } = retrying([
      { chunks: ["Your parcel"], after: { error: overloaded() } },
      { reply: "a second answer" },
    ]);
    const { texts, error } = await collectUntilError(provider.stream!(request()));
    assert.deepEqual(texts, ["Your parcel"]);
    assert.equal((error as Error).message, "overloaded");
    assert.equal(a.requests.length, 1);
  });

  it("never calls more than maxAttempts times; each wait is within [d/2, d]", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 1, max: 1_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer(),
        async (maxAttempts, failures, baseDelayMs, maxDelayMs, seed) => {
          const steps: Step[] = [...Array(failures).fill({ error: overloaded() }), { reply: "ok" }];
          const { a, provider, sleeps } = retrying(steps, {
            maxAttempts,
            baseDelayMs,
            maxDelayMs,
            random: seededRandom(seed),
          });
          const answered = await provider.chat(request()).then(
            () => true,
            () => false,
          );
          assert.equal(answered, failures < maxAttempts);
          assert.equal(a.requests.length, Math.min(failures + 1, maxAttempts));
          sleeps.forEach((ms, i) => {
            const d = Math.min(maxDelayMs, baseDelayMs * 2 ** i);
            assert.ok(ms >= Math.floor(d / 2) && ms <= d, `wait ${ms} outside [${d / 2}, ${d}]`);
          });
        },
      ),
    );
  });
});
