import type { Clock } from "../../../shared/clock.ts";
import type { EgressFetch } from "../../../shared/egress/index.ts";
import type { ChatProvider } from "../chat-provider.ts";
import { createHttpChatProvider } from "../http-chat-provider.ts";
import { readAnthropicStream } from "./anthropic-stream.ts";
import { type AnthropicAnswer, fromAnthropicAnswer, toAnthropicBody } from "./anthropic-wire.ts";

export interface AnthropicOptions {
  apiKey: string;
  /** `https://api.anthropic.com` (its provider definition's default); `/v1/messages` is appended. */
  baseUrl: string;
  /** The `anthropic-version` header; default `2023-06-01`. */
  version?: string;
  /** Anthropic requires `max_tokens`; used when a request sets none. Default 1024. */
  maxTokensDefault?: number;
  timeoutMs?: number;
  /** The server's egress `fetch`; default global fetch. */
  fetch?: EgressFetch;
  /** Where an HTTP-date `Retry-After` is counted from; default the system clock. */
  clock?: Clock;
}

/** A provider for Anthropic's Messages API. */
export function createAnthropic(options: AnthropicOptions): ChatProvider {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const maxTokensDefault = options.maxTokensDefault ?? 1024;
  return createHttpChatProvider<AnthropicAnswer>({
    name: "anthropic",
    url: `${baseUrl}/v1/messages`,
    headers: { "x-api-key": options.apiKey, "anthropic-version": options.version ?? "2023-06-01" },
    timeoutMs: options.timeoutMs,
    fetch: options.fetch,
    clock: options.clock,
    toBody: (request) => toAnthropicBody(request, maxTokensDefault),
    streamFields: { stream: true },
    fromAnswer: fromAnthropicAnswer,
    readStream: readAnthropicStream,
  });
}
