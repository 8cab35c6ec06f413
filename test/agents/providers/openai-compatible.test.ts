import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createOpenAICompatible } from "../../../src/agents/providers/index.ts";
import { type FakeLlmServer, startFakeOpenAI } from "../../support/fake-llm-servers.ts";
import { chatProviderContract, collect } from "./provider-contract.ts";

chatProviderContract("openai", {
  start: startFakeOpenAI,
  create: (url, options) => createOpenAICompatible({ baseUrl: url, apiKey: "sk-test", ...options }),
  finish: { text: "stop", tools: "tool_calls" },
});

describe("createOpenAICompatible", () => {
  let fake: FakeLlmServer;
  before(async () => {
    fake = await startFakeOpenAI();
  });
  after(() => fake.close());

  it("asks for usage when streaming", async () => {
    await collect(
      createOpenAICompatible({ baseUrl: fake.url }).stream!({ model: "m", messages: [] }),
    );
    const body = fake.requests.at(-1)!.body;
    assert.equal(body.stream, true);
    assert.deepEqual(body.stream_options, { include_usage: true });
  });

  it("names itself, sends extra headers and no Authorization without a key", async () => {
    const provider = createOpenAICompatible({
      name: "vllm",
      baseUrl: fake.url,
      headers: { "api-key": "azure" },
    });
    const response = await provider.chat({
      model: "llama",
      messages: [{ role: "user", content: "Hi" }],
    });
    assert.equal(provider.name, "vllm");
    assert.equal(response.provider, "vllm");
    const { headers } = fake.requests.at(-1)!;
    assert.equal(headers["api-key"], "azure");
    assert.equal(headers.authorization, undefined);
  });

  it("keeps arguments that are not JSON as _raw, in chat and stream", async () => {
    fake.script = () => ({
      toolCalls: [{ id: "c1", name: "get_weather", arguments: '{"city": Oslo' }],
    });
    const provider = createOpenAICompatible({ baseUrl: fake.url });
    const request = { model: "m", messages: [{ role: "user" as const, content: "Hi" }] };
    const response = await provider.chat(request);
    assert.deepEqual(response.toolCalls[0]?.arguments, { _raw: '{"city": Oslo' });
    const done = (await collect(provider.stream!(request))).at(-1);
    assert.equal(done?.type, "done");
    assert.deepEqual(done.response.toolCalls[0]?.arguments, { _raw: '{"city": Oslo' });
  });

  it("prefers error.code over error.type", async () => {
    fake.script = () => ({
      error: { status: 400, type: "invalid_request_error", code: "context_length_exceeded" },
    });
    const error = await createOpenAICompatible({ baseUrl: fake.url })
      .chat({ model: "m", messages: [] })
      .catch((e: unknown) => e);
    assert.deepEqual((error as { options: unknown }).options, {
      provider: "openai",
      status: 400,
      retryable: false,
      retryAfterMs: undefined,
      code: "context_length_exceeded",
    });
  });
});
