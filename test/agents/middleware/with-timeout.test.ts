import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setTimeout as wait } from "node:timers/promises";
import { withTimeout } from "../../../src/agents/middleware/index.ts";
import { ProviderError } from "../../../src/agents/providers/chat-provider.ts";
import {
  collect,
  collectUntilError,
  request,
  response,
  scriptedProvider,
} from "./scripted-provider.ts";

// Real timers, kept tiny: the point is that the abort really happens.
const timeoutMs = 20;

function assertTimeout(error: unknown): true {
  assert.ok(error instanceof ProviderError);
  assert.equal(error.message, "a timed out after 20 ms");
  assert.deepEqual(error.options, { provider: "a", retryable: true, code: "timeout" });
  return true;
}

describe("withTimeout", () => {
  it("passes a timely answer through", async () => {
    const a = scriptedProvider("a", [{ reply: "Tomorrow." }]);
    const response = await withTimeout(a, { timeoutMs }).chat(request());
    assert.equal(response.text, "Tomorrow.");
  });

  it("aborts a slow call and throws a retryable timeout error", async () => {
    const a = scriptedProvider("a", [{ hang: true }]);
    await assert.rejects(withTimeout(a, { timeoutMs }).chat(request()), assertTimeout);
    assert.equal(a.requests[0]?.signal?.aborted, true);
  });

  it("times out a provider that ignores its signal", async () => {
    const deaf = { name: "a", chat: () => new Promise<never>(() => {}) };
    await assert.rejects(withTimeout(deaf, { timeoutMs }).chat(request()), assertTimeout);
  });

  it("passes the caller's own abort through, not as a timeout", async () => {
    const a = scriptedProvider("a", [{ hang: true }]);
    const caller = new AbortController();
    const call = withTimeout(a, { timeoutMs: 10_000 }).chat(request(caller.signal));
    caller.abort(new Error("customer left"));
    await assert.rejects(call, { message: "customer left" });
  });

  it("has no stream when the provider has none", () => {
    const { stream: _, ...chatOnly } = scriptedProvider("a", [{ reply: "ok" }]);
    assert.equal(withTimeout(chatOnly, { timeoutMs }).stream, undefined);
  });

  describe("stream", () => {
    it("times out waiting for the first chunk", async () => {
      const a = scriptedProvider("a", [{ hang: true }]);
      const { texts, error } = await collectUntilError(
        withTimeout(a, { timeoutMs }).stream!(request()),
      );
      assert.deepEqual(texts, []);
      assertTimeout(error);
      assert.equal(a.requests[0]?.signal?.aborted, true);
    });

    it("times out waiting between chunks", async () => {
      const a = scriptedProvider("a", [{ chunks: ["Tomo", "rrow"], after: { hang: true } }]);
      const { texts, error } = await collectUntilError(
        withTimeout(a, { timeoutMs }).stream!(request()),
      );
      assert.deepEqual(texts, ["Tomo", "rrow"]);
      assertTimeout(error);
    });

    it("does not count the consumer's time, only the provider's", async () => {
      const a = scriptedProvider("a", [{ chunks: ["Tomo", "rrow"] }]);
      const texts: string[] = [];
      for await (const chunk of withTimeout(a, { timeoutMs }).stream!(request())) {
        if (chunk.type === "text") texts.push(chunk.text);
        await wait(2 * timeoutMs);
      }
      assert.deepEqual(texts, ["Tomo", "rrow"]);
    });

    it("ends with the provider's final response", async () => {
      const a = scriptedProvider("a", [{ reply: "Tomorrow." }]);
      const chunks = await collect(withTimeout(a, { timeoutMs }).stream!(request()));
      assert.deepEqual(chunks.at(-1), { type: "done", response: response("a", "Tomorrow.") });
    });
  });
});
