import type { Clock } from "../../../shared/clock.ts";
import type { EgressFetch } from "../../../shared/egress/index.ts";
import type { ChatProvider } from "../chat-provider.ts";
import { createHttpChatProvider } from "../http-chat-provider.ts";
import { readOpenAIStream } from "./openai-stream.ts";
import { fromOpenAICompletion, type OpenAICompletion, toOpenAIBody } from "./openai-wire.ts";

export interface OpenAICompatibleOptions {
  /** Reported as `ChatResponse.provider` and in errors; default `openai`. */
  name?: string;
  /** Up to and including the version: `https://api.openai.com/v1`, or a vLLM, Ollama, LiteLLM or Azure URL. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer`; local servers often need none. */
  apiKey?: string;
  /** Extra headers, e.g. Azure's `api-key` or `OpenAI-Organization`. */
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** The server's egress `fetch`; default global fetch. */
  fetch?: EgressFetch;
  /** Where an HTTP-date `Retry-After` is counted from; default the system clock. */
  clock?: Clock;
}

/** A provider for any server speaking OpenAI's Chat Completions API. */
export function createOpenAICompatible(options: OpenAICompatibleOptions): ChatProvider {
  return createHttpChatProvider<OpenAICompletion>({
    name: options.name ?? "openai",
    url: `${options.baseUrl.replace(/\/+$/, "")}/chat/completions`,
    headers: {
      ...(options.apiKey && { authorization: `Bearer ${options.apiKey}` }),
      ...options.headers,
    },
    timeoutMs: options.timeoutMs,
    fetch: options.fetch,
    clock: options.clock,
    toBody: toOpenAIBody,
    streamFields: { stream: true, stream_options: { include_usage: true } },
    fromAnswer: fromOpenAICompletion,
    readStream: readOpenAIStream,
  });
}
