import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cannedReply, withFallback } from "../../../src/agents/middleware/index.ts";
import type { ChatProvider } from "../../../src/agents/providers/chat-provider.ts";
import {
  badRequest,
  collect,
  collectUntilError,
  overloaded,
  request,
  scriptedProvider,
} from "./scripted-provider.ts";

const sorry = "Sorry, we are a bit slow right now. An agent will get back to you shortly.";

describe("withFallback", () => {
  it("moves on from primary to cheaper on any error, and says who answered", async () => {
    const primary = scriptedProvider("primary", [{ error: badRequest() }]);
    const cheaper = scriptedProvider("cheaper", [{ reply: "Tomorrow." }]);
    const moves: string[] = [];
    const provider = withFallback([primary, cheaper, cannedReply(sorry)], {
      onFallback: (from, to, error) => moves.push(`${from.name}->${to.name}: ${error}`),
    });
    assert.equal(provider.name, "primary");
    const response = await provider.chat(request());
    assert.equal(response.provider, "cheaper");
    assert.equal(response.text, "Tomorrow.");
    assert.deepEqual(moves, ["primary->cheaper: Error: bad request"]);
  });

  it("ends with the canned reply when every model fails", async () => {
    const provider = withFallback([
      scriptedProvider("primary", [{ error: overloaded() }]),
      scriptedProvider("cheaper", [{ error: new TypeError("fetch failed") }]),
      cannedReply(sorry),
    ]);
    assert.deepEqual(await provider.chat(request()), {
      provider: "canned",
      model: "canned",
      text: sorry,
      toolCalls: [],
      usage: { inputTokens: 0, outputTokens: 0 },
      finishReason: "stop",
      fallback: true,
    });
  });

  it("rethrows the last error when all fail", async () => {
    const last = new TypeError("fetch failed");
    const provider = withFallback([
      scriptedProvider("primary", [{ error: overloaded() }]),
      scriptedProvider("cheaper", [{ error: last }]),
    ]);
    await assert.rejects(provider.chat(request()), (error) => error === last);
  });

  it("does not fall back once the caller has aborted", async () => {
    const caller = new AbortController();
    caller.abort();
    const canned = cannedReply(sorry);
    const provider = withFallback([scriptedProvider("primary", [{ error: overloaded() }]), canned]);
    await assert.rejects(provider.chat(request(caller.signal)), { message: "overloaded" });
  });

  describe("stream", () => {
    it("falls back before the first chunk", async () => {
      const provider = withFallback([
        scriptedProvider("primary", [{ error: overloaded() }]),
        scriptedProvider("cheaper", [{ chunks: ["Tomo", "rrow."] }]),
      ]);
      const chunks = await collect(provider.stream!(request()));
      const done = chunks.at(-1);
      assert.equal(done?.type === "done" && done.response.provider, "cheaper");
      assert.equal(chunks.length, 3);
    });

    it("does not fall back after the first chunk", async () => {
      const cheaper = scriptedProvider("cheaper", [{ reply: "a second answer" }]);
      const provider = withFallback([
        scriptedProvider("primary", [{ chunks: ["Your parcel"], after: { error: overloaded() } }]),
        cheaper,
      ]);
      const { texts, error } = await collectUntilError(provider.stream!(request()));
      assert.deepEqual(texts, ["Your parcel"]);
      assert.equal((error as Error).message, "overloaded");
      assert.equal(cheaper.requests.length, 0);
    });

    it("streams a provider that cannot stream as one chunk", async () => {
      const { stream: _, ...chatOnly } = scriptedProvider("cheaper", [{ reply: "Tomorrow." }]);
      const provider = withFallback([
        scriptedProvider("primary", [{ error: overloaded() }]),
        chatOnly satisfies ChatProvider,
      ]);
      const chunks = await collect(provider.stream!(request()));
      assert.deepEqual(chunks[0], { type: "text", text: "Tomorrow." });
      assert.equal(chunks[1]?.type, "done");
    });

    it("ends with the canned reply", async () => {
      const provider = withFallback([
        scriptedProvider("primary", [{ error: overloaded() }]),
        cannedReply(sorry, "apology"),
      ]);
      const chunks = await collect(provider.stream!(request()));
      assert.deepEqual(chunks[0], { type: "text", text: sorry });
      const done = chunks[1];
      assert.equal(done?.type === "done" && done.response.provider, "apology");
      assert.equal(done?.type === "done" && done.response.fallback, true);
    });
  });
});
