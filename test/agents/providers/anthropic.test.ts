import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createAnthropic } from "../../../src/agents/providers/index.ts";
import { type FakeLlmServer, startFakeAnthropic } from "../../support/fake-llm-servers.ts";
import { chatProviderContract } from "./provider-contract.ts";

chatProviderContract("anthropic", {
  start: startFakeAnthropic,
  create: (url, options) => createAnthropic({ baseUrl: url, apiKey: "sk-ant-test", ...options }),
  finish: { text: "end_turn", tools: "tool_use" },
});

describe("createAnthropic", () => {
  let fake: FakeLlmServer;
  before(async () => {
    fake = await startFakeAnthropic();
  });
  after(() => fake.close());

  it("joins system messages into the system field and authenticates with x-api-key", async () => {
    await createAnthropic({ baseUrl: `${fake.url}/`, apiKey: "sk-ant-test" }).chat({
      model: "m",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
        { role: "system", content: "Answer in English." },
      ],
    });
    const request = fake.requests.at(-1)!;
    assert.equal(request.path, "/v1/messages");
    assert.equal(request.headers["x-api-key"], "sk-ant-test");
    assert.equal(request.headers["anthropic-version"], "2023-06-01");
    assert.equal(request.body.system, "Be brief.\n\nAnswer in English.");
    assert.deepEqual(request.body.messages, [{ role: "user", content: "Hi" }]);
  });

  it("merges consecutive turns of one role, tool results first, and drops empty ones", async () => {
    const provider = createAnthropic({ baseUrl: fake.url, apiKey: "k", maxTokensDefault: 99 });
    await provider.chat({
      model: "m",
      messages: [
        { role: "user", content: "Hi" },
        { role: "user", content: "Anyone there?" },
        { role: "assistant", content: "" },
        { role: "assistant", content: "Let me check." },
        {
          role: "assistant",
          content: "",
          toolCalls: [
            { id: "a", name: "x", arguments: {} },
            { id: "b", name: "y", arguments: {} },
          ],
        },
        { role: "tool", content: "ra", toolCallId: "a" },
        { role: "user", content: "and?" },
        { role: "tool", content: "rb", toolCallId: "b" },
      ],
    });
    const body = fake.requests.at(-1)!.body;
    assert.equal(body.max_tokens, 99);
    assert.equal(body.system, undefined);
    assert.deepEqual(body.messages, [
      {
        role: "user",
        content: [
          { type: "text", text: "Hi" },
          { type: "text", text: "Anyone there?" },
        ],
      },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Let me check." },
          { type: "tool_use", id: "a", name: "x", input: {} },
          { type: "tool_use", id: "b", name: "y", input: {} },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "a", content: "ra" },
          { type: "tool_result", tool_use_id: "b", content: "rb" },
          { type: "text", text: "and?" },
        ],
      },
    ]);
  });

  it("makes 529 overloaded retryable and sends the configured version", async () => {
    fake.script = () => ({
      error: { status: 529, type: "overloaded_error", message: "Overloaded" },
    });
    const provider = createAnthropic({ baseUrl: fake.url, apiKey: "k", version: "2024-01-01" });
    const error = await provider.chat({ model: "m", messages: [] }).catch((e: unknown) => e);
    assert.deepEqual((error as { options: unknown }).options, {
      provider: "anthropic",
      status: 529,
      retryable: true,
      retryAfterMs: undefined,
      code: "overloaded_error",
    });
    assert.equal(fake.requests.at(-1)!.headers["anthropic-version"], "2024-01-01");
  });
});
