import { type ChatChunk, type ChatUsage, ProviderError } from "../chat-provider.ts";
import { providerErrorDetail } from "../provider-http.ts";
import { readServerSentEvents } from "../server-sent-events.ts";
import { parseToolArguments } from "../tool-arguments.ts";
import { fromOpenAIUsage, type OpenAIChunk } from "./openai-wire.ts";

/**
 * Turns a streamed chat completion into text chunks and one final `done`. Each tool call
 * arrives as pieces keyed by `index`: the id and name first, then the arguments JSON in
 * fragments (https://platform.openai.com/docs/api-reference/chat-streaming). Usage comes
 * in a last chunk with no choices, sent because we ask for `include_usage`.
 */
export async function* readOpenAIStream(
  provider: string,
  requestModel: string,
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<ChatChunk> {
  let text = "";
  let model = requestModel;
  let finishReason = "";
  let usage: ChatUsage = { inputTokens: 0, outputTokens: 0 };
  const calls: { id: string; name: string; arguments: string }[] = [];
  for await (const event of readServerSentEvents(body)) {
    if (event.data === "[DONE]") break;
    const chunk = JSON.parse(event.data) as OpenAIChunk;
    if (chunk.error !== undefined) throw streamError(provider, chunk);
    if (chunk.model) model = chunk.model;
    if (chunk.usage) usage = fromOpenAIUsage(chunk.usage);
    const choice = chunk.choices?.[0];
    if (choice?.finish_reason) finishReason = choice.finish_reason;
    const delta = choice?.delta;
    if (delta?.content) {
      text += delta.content;
      yield { type: "text", text: delta.content };
    }
    for (const piece of delta?.tool_calls ?? []) {
      calls[piece.index] ??= { id: "", name: "", arguments: "" };
      const call = calls[piece.index]!;
      if (piece.id) call.id = piece.id;
      if (piece.function?.name) call.name = piece.function.name;
      call.arguments += piece.function?.arguments ?? "";
    }
  }
  const toolCalls = calls
    .filter((call) => call !== undefined)
    .map((call) => ({
      id: call.id,
      name: call.name,
      arguments: parseToolArguments(call.arguments),
    }));
  yield { type: "done", response: { provider, model, text, toolCalls, usage, finishReason } };
}

function streamError(provider: string, chunk: OpenAIChunk): ProviderError {
  const { message, code } = providerErrorDetail(chunk);
  // The request was accepted, so the failure is on the server's side: worth another try.
  return new ProviderError(`${provider} failed mid-stream: ${message ?? "unknown error"}`, {
    provider,
    retryable: true,
    code,
  });
}
