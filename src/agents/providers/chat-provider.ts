/**
 * The seam every LLM provider implements (OpenAI-compatible, Anthropic), and that
 * middleware (timeout, retry, circuit breaker, fallback) wraps: a middleware takes a
 * ChatProvider and returns one, so they compose in any order (vercel/ai's
 * wrapLanguageModel habit).
 */
import type { TurnTracer } from "../turn-trace.ts";

export type ChatRole = "system" | "user" | "assistant" | "tool";

export interface ToolCallRequest {
  /** The provider's id for the call, echoed back in the tool result message. */
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

export interface ChatMessage {
  role: ChatRole;
  content: string;
  /** On an assistant message: the tools it asked to call. */
  toolCalls?: ToolCallRequest[];
  /** On a tool message: which call this is the result of. */
  toolCallId?: string;
}

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: ToolSpec[];
  maxTokens?: number;
  temperature?: number;
  signal?: AbortSignal;
  /** The turn's trace: the client wrapper in build-agent.ts records each attempt there. */
  trace?: TurnTracer;
}

export interface ChatUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface ChatResponse {
  /** Provider name (`openai`, `anthropic`...) and the model that actually answered. */
  provider: string;
  model: string;
  text: string;
  toolCalls: ToolCallRequest[];
  usage: ChatUsage;
  /** `stop`, `length`, `tool_calls`... as the provider reports it. */
  finishReason: string;
  /** Set by a link that decided a person must take over (the built-in agent as fallback). */
  handoff?: { reason: string; detail?: string };
  /** Set by `withFallback` when a later link of the chain answered. */
  fallback?: boolean;
}

/** One piece of a streamed answer: text as it arrives, then the final response. */
export type ChatChunk = { type: "text"; text: string } | { type: "done"; response: ChatResponse };

export interface ChatProvider {
  readonly name: string;
  chat(request: ChatRequest): Promise<ChatResponse>;
  /** Streams the answer; providers without streaming may omit it. */
  stream?(request: ChatRequest): AsyncIterable<ChatChunk>;
}

/**
 * A failed provider call. `retryable` for 408/429/5xx and network errors; `retryAfterMs`
 * from the provider's `Retry-After`; `status` is the HTTP status when there was one.
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly options: {
      provider: string;
      retryable: boolean;
      status?: number;
      retryAfterMs?: number;
      code?: string;
    },
  ) {
    super(message);
  }
}
