import type { Clock } from "../../shared/clock.ts";
import { type EgressFetch, isEgressRefusal } from "../../shared/egress/index.ts";
import { retryAfterMs } from "../../shared/retry-after.ts";
import { ProviderError } from "./chat-provider.ts";

export interface ProviderPost {
  provider: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  signal?: AbortSignal;
  timeoutMs?: number;
  fetch?: EgressFetch;
  /** Where an HTTP-date `Retry-After` is counted from. */
  clock: Clock;
}

/**
 * POSTs JSON to a provider and returns the 2xx response with its body unread (JSON or an
 * event stream). The failure rules every provider shares: network errors, timeouts, 408,
 * 409, 429 and 5xx (Anthropic's 529 "overloaded" included) are retryable and carry the
 * provider's `Retry-After`; any other status is permanent and carries its error code.
 */
export async function postToProvider(post: ProviderPost): Promise<Response> {
  const signals = [post.signal, timeoutSignal(post.timeoutMs)].filter((s) => s !== undefined);
  let response: Response;
  try {
    response = await (post.fetch ?? fetch)(post.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...post.headers },
      body: JSON.stringify(post.body),
      signal: signals.length > 0 ? AbortSignal.any(signals) : undefined,
    });
  } catch (e) {
    throw transportError(post.provider, e, post.signal);
  }
  if (response.ok) return response;
  throw await statusError(post.provider, response, post.clock.now());
}

/**
 * Any failure while talking to a provider (connect, timeout, reading a body) as a
 * ProviderError. A cancellation by the caller is not retried; everything else is.
 */
export function transportError(
  provider: string,
  error: unknown,
  callerSignal?: AbortSignal,
): ProviderError {
  if (error instanceof ProviderError) return error;
  if (callerSignal?.aborted) {
    return new ProviderError(`${provider} call cancelled`, {
      provider,
      retryable: false,
      code: "aborted",
    });
  }
  // A URL the egress policy refuses (a private address, a redirect) stays refused.
  if (isEgressRefusal(error)) {
    const cause = (error as Error).cause;
    const message = (cause instanceof Error ? cause : (error as Error)).message;
    return new ProviderError(`${provider}: ${message}`, {
      provider,
      retryable: false,
      code: "egress_refused",
    });
  }
  const err = error as Error & { cause?: { code?: string } };
  const timedOut = err.name === "TimeoutError";
  const detail = err.cause?.code ? `${err.message} (${err.cause.code})` : err.message;
  return new ProviderError(`${provider} ${timedOut ? "timed out" : "unreachable"}: ${detail}`, {
    provider,
    retryable: true,
    code: timedOut ? "timeout" : "network",
  });
}

/**
 * An error object from a provider's body: OpenAI and Anthropic both send
 * `{ error: { type, code?, message } }` (https://platform.openai.com/docs/guides/error-codes,
 * https://docs.anthropic.com/en/api/errors); some OpenAI-compatible servers send a string.
 */
export function providerErrorDetail(body: unknown): { message?: string; code?: string } {
  const error = (body as { error?: unknown } | null)?.error;
  if (typeof error === "string") return { message: error };
  if (error === null || typeof error !== "object") return {};
  const { message, code, type } = error as Record<string, unknown>;
  return {
    message: typeof message === "string" ? message : undefined,
    code: typeof code === "string" ? code : typeof type === "string" ? type : undefined,
  };
}

async function statusError(
  provider: string,
  response: Response,
  now: number,
): Promise<ProviderError> {
  const status = response.status;
  const text = await response.text().catch(() => "");
  const { message, code } = providerErrorDetail(parseJson(text));
  return new ProviderError(`${provider} answered HTTP ${status}${message ? `: ${message}` : ""}`, {
    provider,
    status,
    retryable: status === 408 || status === 409 || status === 429 || status >= 500,
    retryAfterMs: retryAfterMs(response.headers, now),
    code,
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function timeoutSignal(ms: number | undefined): AbortSignal | undefined {
  return ms === undefined ? undefined : AbortSignal.timeout(ms);
}

/** The JSON body of a 2xx answer; a body cut off or garbled counts as a transport failure. */
export async function readJsonBody<T>(
  provider: string,
  response: Response,
  callerSignal?: AbortSignal,
): Promise<T> {
  try {
    return (await response.json()) as T;
  } catch (e) {
    throw transportError(provider, e, callerSignal);
  }
}

/** Passes a stream through, re-throwing any failure while reading it as a ProviderError. */
export async function* guardStream<T>(
  provider: string,
  source: AsyncIterable<T>,
  callerSignal?: AbortSignal,
): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (e) {
    throw transportError(provider, e, callerSignal);
  }
}
