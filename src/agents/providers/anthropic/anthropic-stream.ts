import { type ChatChunk, ProviderError, type ToolCallRequest } from "../chat-provider.ts";
import { providerErrorDetail } from "../provider-http.ts";
import { readServerSentEvents } from "../server-sent-events.ts";
import { parseToolArguments } from "../tool-arguments.ts";
import type { AnthropicAnswer, AnthropicBlock, AnthropicUsage } from "./anthropic-wire.ts";

type StreamEvent =
  | { type: "message_start"; message: AnthropicAnswer }
  | { type: "content_block_start"; index: number; content_block: AnthropicBlock }
  | {
      type: "content_block_delta";
      index: number;
      delta:
        | { type: "text_delta"; text: string }
        | { type: "input_json_delta"; partial_json: string };
    }
  | { type: "message_delta"; delta: { stop_reason?: string | null }; usage?: AnthropicUsage }
  | { type: "error"; error: unknown }
  | { type: "content_block_stop" | "message_stop" | "ping" };

/** Errors a retry can cure (https://docs.anthropic.com/en/api/errors). */
const RETRYABLE_TYPES = new Set([
  "overloaded_error",
  "api_error",
  "rate_limit_error",
  "timeout_error",
]);

/**
 * Turns a streamed message (https://docs.anthropic.com/en/docs/build-with-claude/streaming)
 * into text chunks and one final `done`: `message_start` carries the model and input
 * tokens, each content block streams text or tool-input JSON by `index`, `message_delta`
 * the stop reason and output tokens.
 */
export async function* readAnthropicStream(
  provider: string,
  requestModel: string,
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<ChatChunk> {
  let text = "";
  let model = requestModel;
  let finishReason = "";
  let usage = { inputTokens: 0, outputTokens: 0 };
  const calls = new Map<number, ToolCallRequest & { json: string }>();
  for await (const sse of readServerSentEvents(body)) {
    const event = JSON.parse(sse.data) as StreamEvent;
    if (event.type === "message_start") {
      model = event.message.model ?? model;
      usage = {
        inputTokens: event.message.usage?.input_tokens ?? 0,
        outputTokens: event.message.usage?.output_tokens ?? 0,
      };
    } else if (event.type === "content_block_start" && event.content_block.type === "tool_use") {
      const { id, name, input } = event.content_block;
      calls.set(event.index, { id, name, arguments: input ?? {}, json: "" });
    } else if (event.type === "content_block_delta" && event.delta.type === "text_delta") {
      text += event.delta.text;
      yield { type: "text", text: event.delta.text };
    } else if (event.type === "content_block_delta" && event.delta.type === "input_json_delta") {
      const call = calls.get(event.index);
      if (call) call.json += event.delta.partial_json;
    } else if (event.type === "message_delta") {
      finishReason = event.delta.stop_reason ?? finishReason;
      // The counts here are cumulative; input tokens appear only on some API versions.
      usage = {
        inputTokens: event.usage?.input_tokens ?? usage.inputTokens,
        outputTokens: event.usage?.output_tokens ?? usage.outputTokens,
      };
    } else if (event.type === "error") {
      throw streamError(provider, event);
    } else if (event.type === "message_stop") {
      break;
    }
  }
  const toolCalls = [...calls.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, { id, name, arguments: input, json }]) => ({
      id,
      name,
      arguments: json === "" ? input : parseToolArguments(json),
    }));
  yield { type: "done", response: { provider, model, text, toolCalls, usage, finishReason } };
}

function streamError(provider: string, event: { error: unknown }): ProviderError {
  const { message, code } = providerErrorDetail(event);
  return new ProviderError(`${provider} failed mid-stream: ${message ?? "unknown error"}`, {
    provider,
    retryable: code === undefined || RETRYABLE_TYPES.has(code),
    code,
  });
}
