import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import OpenAI from "openai";
import type { ChatCompletionCreateParamsNonStreaming } from "openai/resources/chat/completions";
import { type ChatResponse, createOpenAICompatible } from "../../../src/agents/providers/index.ts";
import { type FakeLlmServer, startFakeOpenAI } from "../../support/fake-llm-servers.ts";
import { weatherTool } from "./provider-contract.ts";
import { sdkParityContract } from "./sdk-parity.ts";

/** `weatherConversation` written against the SDK's own types. */
const params = {
  model: "test-model",
  max_tokens: 300,
  temperature: 0.5,
  tools: [{ type: "function", function: weatherTool }],
  messages: [
    { role: "system", content: "You are a support agent." },
    { role: "user", content: "Weather in Oslo?" },
    {
      role: "assistant",
      content: null,
      tool_calls: [
        {
          id: "call_9",
          type: "function",
          function: { name: "get_weather", arguments: '{"city":"Oslo"}' },
        },
      ],
    },
    { role: "tool", content: '{"celsius":4}', tool_call_id: "call_9" },
  ],
} satisfies ChatCompletionCreateParamsNonStreaming;

function fromSdk(completion: OpenAI.ChatCompletion): ChatResponse {
  const choice = completion.choices[0]!;
  return {
    provider: "openai",
    model: completion.model,
    text: choice.message.content ?? "",
    toolCalls: (choice.message.tool_calls ?? []).map((call) => {
      if (call.type !== "function") throw new Error(`unexpected tool call type ${call.type}`);
      return {
        id: call.id,
        name: call.function.name,
        arguments: JSON.parse(call.function.arguments),
      };
    }),
    usage: {
      inputTokens: completion.usage!.prompt_tokens,
      outputTokens: completion.usage!.completion_tokens,
    },
    finishReason: choice.finish_reason,
  };
}

sdkParityContract("openai", {
  start: () => startFakeOpenAI(),
  headers: ["authorization", "content-type"],
  connect(url) {
    const sdk = new OpenAI({ baseURL: url, apiKey: "sk-test", maxRetries: 0 });
    return {
      ours: createOpenAICompatible({ baseUrl: url, apiKey: "sk-test" }),
      sdkChat: async () => fromSdk(await sdk.chat.completions.create(params)),
      async sdkStream() {
        const stream = sdk.chat.completions.stream({
          ...params,
          stream_options: { include_usage: true },
        });
        const texts: string[] = [];
        for await (const chunk of stream) {
          const content = chunk.choices[0]?.delta.content;
          if (content) texts.push(content);
        }
        return { texts, response: fromSdk(await stream.finalChatCompletion()) };
      },
    };
  },
});

describe("the fake OpenAI server's errors", () => {
  let fake: FakeLlmServer;
  before(async () => {
    fake = await startFakeOpenAI();
  });
  after(() => fake.close());

  it("are read by the SDK with their status, code, type and Retry-After", async () => {
    fake.script = () => ({
      error: { status: 429, type: "requests", code: "rate_limit_exceeded", message: "Slow down" },
      headers: { "retry-after": "2" },
    });
    const sdk = new OpenAI({ baseURL: fake.url, apiKey: "sk-test", maxRetries: 0 });
    const error = await sdk.chat.completions.create(params).catch((e: unknown) => e);
    assert.ok(error instanceof OpenAI.RateLimitError);
    assert.deepEqual(
      [error.status, error.code, error.type],
      [429, "rate_limit_exceeded", "requests"],
    );
    assert.equal(error.headers?.get("retry-after"), "2");
  });
});
