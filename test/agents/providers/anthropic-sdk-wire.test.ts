import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import Anthropic from "@anthropic-ai/sdk";
import type { MessageCreateParamsNonStreaming } from "@anthropic-ai/sdk/resources/messages";
import { type ChatResponse, createAnthropic } from "../../../src/agents/providers/index.ts";
import { type FakeLlmServer, startFakeAnthropic } from "../../support/fake-llm-servers.ts";
import { weatherTool } from "./provider-contract.ts";
import { sdkParityContract } from "./sdk-parity.ts";

/** `weatherConversation` written against the SDK's own types. */
const params = {
  model: "test-model",
  max_tokens: 300,
  temperature: 0.5,
  system: "You are a support agent.",
  tools: [
    {
      name: weatherTool.name,
      description: weatherTool.description,
      input_schema: { ...weatherTool.parameters, type: "object" },
    },
  ],
  messages: [
    { role: "user", content: "Weather in Oslo?" },
    {
      role: "assistant",
      content: [{ type: "tool_use", id: "call_9", name: "get_weather", input: { city: "Oslo" } }],
    },
    {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: "call_9", content: '{"celsius":4}' }],
    },
  ],
} satisfies MessageCreateParamsNonStreaming;

function fromSdk(message: Anthropic.Message): ChatResponse {
  return {
    provider: "anthropic",
    model: message.model,
    text: message.content.map((block) => (block.type === "text" ? block.text : "")).join(""),
    toolCalls: message.content.flatMap((block) =>
      block.type === "tool_use"
        ? [{ id: block.id, name: block.name, arguments: block.input as Record<string, unknown> }]
        : [],
    ),
    usage: { inputTokens: message.usage.input_tokens, outputTokens: message.usage.output_tokens },
    finishReason: message.stop_reason ?? "",
  };
}

sdkParityContract("Anthropic", {
  start: () => startFakeAnthropic(),
  headers: ["x-api-key", "anthropic-version", "content-type"],
  connect(url) {
    const sdk = new Anthropic({ baseURL: url, apiKey: "sk-ant-test", maxRetries: 0 });
    return {
      ours: createAnthropic({ baseUrl: url, apiKey: "sk-ant-test" }),
      sdkChat: async () => fromSdk(await sdk.messages.create(params)),
      async sdkStream() {
        const texts: string[] = [];
        const stream = sdk.messages.stream(params).on("text", (text) => texts.push(text));
        return { texts, response: fromSdk(await stream.finalMessage()) };
      },
    };
  },
});

describe("the fake Anthropic server's errors", () => {
  let fake: FakeLlmServer;
  before(async () => {
    fake = await startFakeAnthropic();
  });
  after(() => fake.close());

  it("are read by the SDK with their status, type and Retry-After", async () => {
    fake.script = () => ({
      error: { status: 529, type: "overloaded_error", message: "Overloaded" },
      headers: { "retry-after": "3" },
    });
    const sdk = new Anthropic({ baseURL: fake.url, apiKey: "sk-ant-test", maxRetries: 0 });
    const error = await sdk.messages.create(params).catch((e: unknown) => e);
    assert.ok(error instanceof Anthropic.APIError);
    assert.equal(error.status, 529);
    assert.deepEqual(error.error, {
      type: "error",
      error: { type: "overloaded_error", message: "Overloaded" },
    });
    assert.equal(error.headers?.get("retry-after"), "3");
  });
});
