import { setTimeout as wait } from "node:timers/promises";
import { backoffDelay } from "../../jobs/index.ts";
import { type Random, systemRandom } from "../../shared/random.ts";
import type { ChatProvider, ChatRequest } from "../providers/chat-provider.ts";
import { isRetryable } from "./is-retryable.ts";
import { type Recover, streamInTurn, tryInTurn } from "./try-in-turn.ts";

export interface RetryOptions {
  /** Calls in all, the first one included. Default 3. */
  maxAttempts?: number;
  /**
   * Backoff before the first retry, doubled for each further one, with equal jitter (the
   * job queue's `backoffDelay`): the wait is in [d/2, d]. Default 250 ms.
   */
  baseDelayMs?: number;
  /** Cap on the backoff. Default 2 s. */
  maxDelayMs?: number;
  /** A longer `Retry-After` than this is not waited for: the error is rethrown. Default 30 s. */
  maxRetryAfterMs?: number;
  /** Jitter source. Default `Math.random`. */
  random?: Random;
  /** Waits `ms`, rejecting if `signal` aborts. Default a real timer. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

type RetryPolicy = Required<RetryOptions>;

/**
 * Retries retryable ProviderErrors (429, 5xx, network, timeout) with exponential backoff
 * and jitter, waiting at least the provider's `Retry-After`. Non-retryable errors, and
 * any error once the caller's signal has aborted, are rethrown at once. A stream is
 * retried only while it has yielded nothing.
 */
export function withRetry(provider: ChatProvider, options: RetryOptions = {}): ChatProvider {
  const policy: RetryPolicy = {
    maxAttempts: 3,
    baseDelayMs: 250,
    maxDelayMs: 2_000,
    maxRetryAfterMs: 30_000,
    random: systemRandom,
    sleep: (ms, signal) => wait(ms, undefined, { signal }),
    ...options,
  };
  const stream = provider.stream?.bind(provider);
  return {
    name: provider.name,
    chat: (request) => tryInTurn(() => provider.chat(request), recover(policy, request)),
    ...(stream && {
      stream: (request: ChatRequest) =>
        streamInTurn(() => stream(request), recover(policy, request)),
    }),
  };
}

function recover(policy: RetryPolicy, request: ChatRequest): Recover {
  return async (error, attempt) => {
    const delay = retryDelay(policy, error, attempt, request.signal);
    if (delay === undefined) throw error;
    await policy.sleep(delay, request.signal);
  };
}

/** How long to wait before retrying after failed attempt `attempt`; undefined: give up. */
function retryDelay(
  policy: RetryPolicy,
  error: unknown,
  attempt: number,
  signal: AbortSignal | undefined,
): number | undefined {
  if (attempt >= policy.maxAttempts || signal?.aborted || !isRetryable(error)) return undefined;
  const retryAfterMs = error.options.retryAfterMs ?? 0;
  // A customer is waiting: a provider that asks for a long pause is as good as down.
  if (retryAfterMs > policy.maxRetryAfterMs) return undefined;
  return Math.max(retryAfterMs, backoffDelay(attempt, policy, policy.random));
}
