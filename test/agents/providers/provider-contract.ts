import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  type ChatChunk,
  type ChatProvider,
  type ChatRequest,
  ProviderError,
} from "../../../src/agents/providers/index.ts";
import { type Clock, ManualClock } from "../../../src/shared/clock.ts";
import type { FakeLlmScript, FakeLlmServer } from "../../support/fake-llm-servers.ts";

export interface ProviderHarness {
  start(script?: FakeLlmScript): Promise<FakeLlmServer>;
  create(url: string, options?: { timeoutMs?: number; clock?: Clock }): ChatProvider;
  /** How the provider names a plain stop and a stop for tool calls. */
  finish: { text: string; tools: string };
}

export const weatherTool = {
  name: "get_weather",
  description: "Current weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

/** A support conversation after one tool round, as the wire-format tests send it. */
export const weatherConversation: ChatRequest = {
  model: "test-model",
  maxTokens: 300,
  temperature: 0.5,
  tools: [weatherTool],
  messages: [
    { role: "system", content: "You are a support agent." },
    { role: "user", content: "Weather in Oslo?" },
    {
      role: "assistant",
      content: "",
      toolCalls: [{ id: "call_9", name: "get_weather", arguments: { city: "Oslo" } }],
    },
    { role: "tool", content: '{"celsius":4}', toolCallId: "call_9" },
  ],
};

/** Answers the SDK tests read both through the official SDK and through our provider. */
export const sampleAnswers = {
  text: { text: "It is 4°C and cloudy in Oslo.", usage: { input: 31, output: 9 } },
  tools: {
    text: "Let me look.",
    toolCalls: [
      { id: "call_1", name: "get_weather", arguments: { city: "Oslo" } },
      { id: "call_2", name: "get_weather", arguments: { city: "Bergen, Norway" } },
    ],
  },
};

const ask = (text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: "test-model",
  messages: [{ role: "user", content: text }],
  ...extra,
});

export async function collect<T = ChatChunk>(stream: AsyncIterable<T>): Promise<T[]> {
  const chunks: T[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

async function rejection(call: () => Promise<unknown>): Promise<ProviderError> {
  const error = await call().then(
    () => assert.fail("expected a ProviderError"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ProviderError, String(error));
  return error;
}

/** The behaviour every ChatProvider shows against a server speaking its protocol. */
export function chatProviderContract(name: string, harness: ProviderHarness) {
  describe(`${name} provider contract`, () => {
    let fake: FakeLlmServer;
    let provider: ChatProvider;
    before(async () => {
      fake = await harness.start();
      provider = harness.create(fake.url);
    });
    after(() => fake.close());

    it("answers text with the model, usage and finish reason", async () => {
      fake.script = () => ({ text: "Your order ships today.", usage: { input: 12, output: 7 } });
      const response = await provider.chat(ask("Where is my order?"));
      assert.deepEqual(response, {
        provider: name,
        model: "test-model",
        text: "Your order ships today.",
        toolCalls: [],
        usage: { inputTokens: 12, outputTokens: 7 },
        finishReason: harness.finish.text,
      });
    });

    it("returns tool calls and takes their results back", async () => {
      fake.script = () => ({
        toolCalls: [{ id: "call_1", name: "get_weather", arguments: { city: "Oslo" } }],
      });
      const first = await provider.chat(ask("Weather in Oslo?", { tools: [weatherTool] }));
      assert.deepEqual(first.toolCalls, [
        { id: "call_1", name: "get_weather", arguments: { city: "Oslo" } },
      ]);
      assert.equal(first.finishReason, harness.finish.tools);

      fake.script = () => ({ text: "It is 4°C in Oslo." });
      const second = await provider.chat({
        model: "test-model",
        tools: [weatherTool],
        messages: [
          { role: "user", content: "Weather in Oslo?" },
          { role: "assistant", content: "", toolCalls: first.toolCalls },
          { role: "tool", content: '{"celsius":4}', toolCallId: "call_1" },
        ],
      });
      assert.equal(second.text, "It is 4°C in Oslo.");
      assert.match(JSON.stringify(fake.requests.at(-1)?.body), /call_1/);
    });

    it("streams text deltas, then the whole response", async () => {
      fake.script = () => ({
        text: "Hello there, how can I help?",
        usage: { input: 3, output: 8 },
      });
      const chunks = await collect(provider.stream!(ask("Hi")));
      const texts = chunks.flatMap((c) => (c.type === "text" ? [c.text] : []));
      assert.ok(texts.length > 1, "text arrives in pieces");
      assert.equal(texts.join(""), "Hello there, how can I help?");
      assert.deepEqual(chunks.at(-1), {
        type: "done",
        response: {
          provider: name,
          model: "test-model",
          text: "Hello there, how can I help?",
          toolCalls: [],
          usage: { inputTokens: 3, outputTokens: 8 },
          finishReason: harness.finish.text,
        },
      });
    });

    it("streams tool calls, assembling their arguments", async () => {
      const calls = [
        { id: "call_a", name: "get_weather", arguments: { city: "Oslo, Norway" } },
        { id: "call_b", name: "get_weather", arguments: { city: "Lima" } },
      ];
      fake.script = () => ({ text: "Checking.", toolCalls: calls });
      const chunks = await collect(
        provider.stream!(ask("Oslo and Lima?", { tools: [weatherTool] })),
      );
      const done = chunks.at(-1);
      assert.equal(done?.type, "done");
      assert.deepEqual(done.response.toolCalls, calls);
      assert.equal(done.response.text, "Checking.");
      assert.equal(done.response.finishReason, harness.finish.tools);
    });

    it("makes a 429 retryable and honours Retry-After in seconds", async () => {
      fake.script = () => ({
        error: { status: 429, type: "rate_limit_error", message: "slow down" },
        headers: { "retry-after": "7" },
      });
      const error = await rejection(() => provider.chat(ask("Hi")));
      assert.deepEqual(error.options, {
        provider: name,
        status: 429,
        retryable: true,
        retryAfterMs: 7000,
        code: "rate_limit_error",
      });
      assert.match(error.message, /slow down/);
    });

    it("reads Retry-After as an HTTP date on its clock and prefers retry-after-ms", async () => {
      const clock = new ManualClock();
      const date = new Date(clock.now() + 60_000).toUTCString();
      fake.script = () => ({
        error: { status: 503, type: "api_error" },
        headers: { "retry-after": date },
      });
      const onClock = harness.create(fake.url, { clock });
      const byDate = await rejection(() => onClock.chat(ask("Hi")));
      assert.ok(byDate.options.retryable);
      assert.equal(byDate.options.retryAfterMs, 60_000);

      fake.script = () => ({
        error: { status: 429, type: "rate_limit_error" },
        headers: { "retry-after-ms": "250", "retry-after": "1" },
      });
      assert.equal((await rejection(() => provider.chat(ask("Hi")))).options.retryAfterMs, 250);
    });

    it("makes a 400 permanent, with the provider's error code, also when streaming", async () => {
      fake.script = () => ({
        error: { status: 400, type: "invalid_request_error", message: "bad tools" },
      });
      for (const call of [
        () => provider.chat(ask("Hi")),
        () => collect(provider.stream!(ask("Hi"))),
      ]) {
        const error = await rejection(call);
        assert.equal(error.options.retryable, false);
        assert.equal(error.options.status, 400);
        assert.equal(error.options.code, "invalid_request_error");
      }
    });

    it("makes an unreachable server retryable", async () => {
      const closed = await harness.start();
      await closed.close();
      const error = await rejection(() => harness.create(closed.url).chat(ask("Hi")));
      assert.equal(error.options.retryable, true);
      assert.equal(error.options.code, "network");
      assert.equal(error.options.status, undefined);
    });

    it("makes a timeout retryable and a cancellation permanent", async () => {
      fake.script = () => ({ text: "late", delayMs: 500 });
      const slow = harness.create(fake.url, { timeoutMs: 50 });
      const timeout = await rejection(() => slow.chat(ask("Hi")));
      assert.deepEqual([timeout.options.retryable, timeout.options.code], [true, "timeout"]);

      const controller = new AbortController();
      setTimeout(() => controller.abort(), 20);
      const cancel = await rejection(() => provider.chat(ask("Hi", { signal: controller.signal })));
      assert.deepEqual([cancel.options.retryable, cancel.options.code], [false, "aborted"]);
    });
  });
}
