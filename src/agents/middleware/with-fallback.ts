import type {
  ChatChunk,
  ChatProvider,
  ChatRequest,
  ChatResponse,
} from "../providers/chat-provider.ts";
import { chatAsStream } from "./chat-as-stream.ts";
import { type Recover, streamInTurn, tryInTurn } from "./try-in-turn.ts";

export interface FallbackOptions {
  /** Called before moving on from `from` to `to` because `from` failed with `error`. */
  onFallback?(from: ChatProvider, to: ChatProvider, error: unknown): void;
}

/**
 * Tries each provider in turn on any error until one answers; the last error is rethrown
 * when all fail, or at once when the caller's signal has aborted. The response's
 * `provider` says which one answered. A stream falls back only while it has yielded
 * nothing; a provider that cannot stream answers in one chunk.
 */
export function withFallback(
  providers: readonly [ChatProvider, ...ChatProvider[]],
  options: FallbackOptions = {},
): ChatProvider {
  const at = (n: number) => providers[n - 1]!;
  const recover =
    (request: ChatRequest): Recover =>
    async (error, attempt) => {
      const next = providers[attempt];
      if (!next || request.signal?.aborted) throw error;
      options.onFallback?.(at(attempt), next, error);
    };
  return {
    name: providers[0].name,
    chat: (request) =>
      tryInTurn(async (n) => marked(await at(n).chat(request), n), recover(request)),
    stream: (request) =>
      streamInTurn((n) => markedStream(chatAsStream(at(n), request), n), recover(request)),
  };
}

/** The response of link `n`: a fallback unless it is the first. */
const marked = (response: ChatResponse, n: number): ChatResponse =>
  n > 1 ? { ...response, fallback: true } : response;

async function* markedStream(chunks: AsyncIterable<ChatChunk>, n: number) {
  for await (const chunk of chunks) {
    yield chunk.type === "done" ? { ...chunk, response: marked(chunk.response, n) } : chunk;
  }
}
