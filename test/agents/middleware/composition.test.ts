import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  cannedReply,
  withCircuitBreaker,
  withFallback,
  withRetry,
  withTimeout,
} from "../../../src/agents/middleware/index.ts";
import { ManualClock } from "../../../src/shared/clock.ts";
import { seededRandom } from "../../../src/shared/random.ts";
import { collect, overloaded, request, scriptedProvider } from "./scripted-provider.ts";

const sorry = "Sorry, an agent will get back to you shortly.";

/**
 * The chain docs/providers.md recommends: a timeout per attempt, retries within one
 * logical call, a breaker that counts logical calls and skips a provider that is down,
 * then the next provider, and a canned reply last.
 */
function chain(primary: ReturnType<typeof scriptedProvider>, cheaper = cannedReply("unused")) {
  const clock = new ManualClock();
  const sleeps: number[] = [];
  const resilient = withCircuitBreaker(
    withRetry(withTimeout(primary, { timeoutMs: 20 }), {
      maxAttempts: 2,
      random: seededRandom(3),
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    }),
    { failureThreshold: 2, cooldownMs: 30_000, clock },
  );
  const fallbacks: string[] = [];
  const provider = withFallback([resilient, cheaper, cannedReply(sorry)], {
    onFallback: (from, to) => fallbacks.push(`${from.name}->${to.name}`),
  });
  return { provider, resilient, clock, sleeps, fallbacks };
}

describe("middleware composition", () => {
  it("timeout -> retry -> breaker -> fallback -> canned", async () => {
    const primary = scriptedProvider("primary", [{ hang: true }]);
    const cheaper = scriptedProvider("cheaper", [
      { reply: "Tomorrow." },
      { error: overloaded() },
      { reply: "Tomorrow." },
    ]);
    const { provider, resilient, clock, sleeps, fallbacks } = chain(primary, cheaper);

    // Two timed-out attempts, one backoff between them, then the cheaper model answers.
    assert.equal((await provider.chat(request())).provider, "cheaper");
    assert.equal(primary.requests.length, 2);
    assert.equal(sleeps.length, 1);
    assert.equal(resilient.state(), "closed");

    // The second failed logical call opens the breaker; cheaper fails too: canned.
    assert.equal((await provider.chat(request())).text, sorry);
    assert.equal(resilient.state(), "open");
    assert.deepEqual(fallbacks, ["primary->cheaper", "primary->cheaper", "cheaper->canned"]);

    // While open, the primary is skipped without waiting for a timeout.
    assert.equal((await provider.chat(request())).provider, "cheaper");
    assert.equal(primary.requests.length, 4);

    clock.advance(30_000);
    assert.equal(resilient.state(), "half_open");
  });

  it("also composes in the order retry(breaker(timeout)), counting each attempt", async () => {
    const primary = scriptedProvider("primary", [{ error: overloaded() }]);
    const clock = new ManualClock();
    const breaker = withCircuitBreaker(withTimeout(primary, { timeoutMs: 20 }), {
      failureThreshold: 2,
      clock,
    });
    const provider = withFallback([
      withRetry(breaker, { maxAttempts: 3, sleep: async () => {} }),
      cannedReply(sorry),
    ]);
    assert.equal((await provider.chat(request())).text, sorry);
    // The third attempt hit the open circuit instead of the provider.
    assert.equal(primary.requests.length, 2);
    assert.equal(breaker.state(), "open");
  });

  it("streams through the whole chain", async () => {
    const primary = scriptedProvider("primary", [{ error: overloaded() }, { chunks: ["o", "k"] }]);
    const { provider, sleeps } = chain(primary);
    const chunks = await collect(provider.stream!(request()));
    assert.deepEqual(
      chunks.map((c) => (c.type === "text" ? c.text : c.response.provider)),
      ["o", "k", "primary"],
    );
    assert.equal(sleeps.length, 1);
  });
});
