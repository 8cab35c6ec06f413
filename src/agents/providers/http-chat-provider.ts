import { type Clock, systemClock } from "../../shared/clock.ts";
import type { EgressFetch } from "../../shared/egress/index.ts";
import type { ChatChunk, ChatProvider, ChatRequest, ChatResponse } from "./chat-provider.ts";
import { guardStream, postToProvider, readJsonBody } from "./provider-http.ts";

/** What tells one JSON-over-HTTP chat API from another; the HTTP and error rules are shared. */
export interface ChatApi<Answer> {
  name: string;
  url: string;
  headers: Record<string, string>;
  timeoutMs?: number;
  /** The server's egress `fetch` (checked addresses, no redirects); default global fetch. */
  fetch?: EgressFetch;
  /** Where an HTTP-date `Retry-After` is counted from; default the system clock. */
  clock?: Clock;
  toBody(request: ChatRequest): Record<string, unknown>;
  /** Added to the body to ask for an event stream instead of one JSON answer. */
  streamFields: Record<string, unknown>;
  fromAnswer(provider: string, requestModel: string, answer: Answer): ChatResponse;
  readStream(
    provider: string,
    requestModel: string,
    body: ReadableStream<Uint8Array>,
  ): AsyncGenerator<ChatChunk>;
}

export function createHttpChatProvider<Answer>(api: ChatApi<Answer>): ChatProvider {
  const { name } = api;
  const clock = api.clock ?? systemClock;
  const post = (request: ChatRequest, body: Record<string, unknown>) =>
    postToProvider({
      provider: name,
      url: api.url,
      headers: api.headers,
      timeoutMs: api.timeoutMs,
      fetch: api.fetch,
      clock,
      body,
      signal: request.signal,
    });
  return {
    name,
    async chat(request) {
      const response = await post(request, api.toBody(request));
      const answer = await readJsonBody<Answer>(name, response, request.signal);
      return api.fromAnswer(name, request.model, answer);
    },
    async *stream(request) {
      const response = await post(request, { ...api.toBody(request), ...api.streamFields });
      yield* guardStream(name, api.readStream(name, request.model, response.body!), request.signal);
    },
  };
}
