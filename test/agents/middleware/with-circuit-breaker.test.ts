import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { withCircuitBreaker } from "../../../src/agents/middleware/index.ts";
import { ProviderError } from "../../../src/agents/providers/chat-provider.ts";
import { ManualClock } from "../../../src/shared/clock.ts";
import {
  badRequest,
  collect,
  collectUntilError,
  overloaded,
  request,
  type Step,
  scriptedProvider,
} from "./scripted-provider.ts";

const options = { failureThreshold: 3, windowMs: 10_000, cooldownMs: 30_000 };

function breaker(steps: Step[]) {
  const clock = new ManualClock();
  const a = scriptedProvider("a", steps);
  return { a, clock, provider: withCircuitBreaker(a, { ...options, clock }) };
}

/** A breaker opened by three failures, its cooldown over; then the provider plays `next`. */
async function halfOpen(next: Step[]) {
  const tripped = breaker([...Array(3).fill({ error: overloaded() }), ...next]);
  for (let i = 0; i < 3; i++) await fails(tripped.provider.chat(request()));
  tripped.clock.advance(options.cooldownMs);
  return tripped;
}

const fails = (call: Promise<unknown>) =>
  call.then(
    () => assert.fail("expected the call to fail"),
    (error: unknown) => error,
  );

function assertCircuitOpen(error: unknown): true {
  assert.ok(error instanceof ProviderError);
  assert.deepEqual(error.options, { provider: "a", retryable: true, code: "circuit_open" });
  return true;
}

describe("withCircuitBreaker", () => {
  it("opens after failureThreshold retryable failures and then fails fast", async () => {
    const { a, clock, provider } = breaker([{ error: overloaded() }]);
    for (let i = 0; i < 3; i++) {
      assert.equal(provider.state(), "closed");
      await fails(provider.chat(request()));
      clock.advance(1_000);
    }
    assert.equal(provider.state(), "open");
    await assert.rejects(provider.chat(request()), assertCircuitOpen);
    assert.equal(a.requests.length, 3);
  });

  it("forgets failures older than the window", async () => {
    const { clock, provider } = breaker([{ error: overloaded() }]);
    await fails(provider.chat(request()));
    await fails(provider.chat(request()));
    clock.advance(10_000);
    await fails(provider.chat(request()));
    assert.equal(provider.state(), "closed");
    await fails(provider.chat(request()));
    assert.equal(provider.state(), "closed");
    await fails(provider.chat(request()));
    assert.equal(provider.state(), "open");
  });

  it("does not count non-retryable errors", async () => {
    const { provider } = breaker([{ error: badRequest() }]);
    for (let i = 0; i < 5; i++) await fails(provider.chat(request()));
    assert.equal(provider.state(), "closed");
  });

  it("lets one trial call through after the cooldown; its success closes the circuit", async () => {
    const { a, clock, provider } = breaker([
      ...Array(3).fill({ error: overloaded() }),
      { reply: "back" },
    ]);
    for (let i = 0; i < 3; i++) await fails(provider.chat(request()));
    clock.advance(29_999);
    assert.equal(provider.state(), "open");
    clock.advance(1);
    assert.equal(provider.state(), "half_open");

    const trial = provider.chat(request());
    await assert.rejects(provider.chat(request()), assertCircuitOpen);
    assert.equal((await trial).text, "back");
    assert.equal(provider.state(), "closed");
    assert.equal((await provider.chat(request())).text, "back");
    assert.equal(a.requests.length, 5);
  });

  it("reopens for a whole cooldown when the trial call fails", async () => {
    const { clock, provider } = await halfOpen([]);
    await fails(provider.chat(request()));
    assert.equal(provider.state(), "open");
    clock.advance(29_999);
    assert.equal(provider.state(), "open");
    clock.advance(1);
    assert.equal(provider.state(), "half_open");
  });

  it("frees the trial slot when the trial fails with a non-retryable error", async () => {
    const { provider } = await halfOpen([{ error: badRequest() }, { reply: "back" }]);
    await assert.rejects(provider.chat(request()), { message: "bad request" });
    assert.equal(provider.state(), "half_open");
    assert.equal((await provider.chat(request())).text, "back");
    assert.equal(provider.state(), "closed");
  });

  it("counts failed streams and fails streams fast while open", async () => {
    const { a, clock, provider } = breaker([
      { error: overloaded() },
      { chunks: ["half an"], after: { error: overloaded() } },
      { error: overloaded() },
      { chunks: ["back"] },
    ]);
    for (let i = 0; i < 3; i++) await collectUntilError(provider.stream!(request()));
    assert.equal(provider.state(), "open");
    assertCircuitOpen((await collectUntilError(provider.stream!(request()))).error);
    assert.equal(a.requests.length, 3);

    clock.advance(30_000);
    assert.equal((await collect(provider.stream!(request()))).length, 2);
    assert.equal(provider.state(), "closed");
  });

  it("closes when a trial stream's consumer stops after the first chunk", async () => {
    const { provider } = await halfOpen([{ chunks: ["Your", " parcel"] }]);
    for await (const _ of provider.stream!(request())) break;
    assert.equal(provider.state(), "closed");
  });
});
