import { type Clock, systemClock } from "../../shared/clock.ts";
import type { ChatProvider, ChatRequest } from "../providers/chat-provider.ts";
import { ProviderError } from "../providers/chat-provider.ts";
import { isRetryable } from "./is-retryable.ts";

export type CircuitState = "closed" | "open" | "half_open";

export interface CircuitBreakerOptions {
  /** Retryable failures within `windowMs` that open the circuit. Default 5. */
  failureThreshold?: number;
  /** Default 60 s. */
  windowMs?: number;
  /** How long the circuit stays open before one trial call. Default 30 s. */
  cooldownMs?: number;
  clock?: Clock;
}

/** A provider behind a circuit breaker, with its state for metrics. */
export type BreakerProvider = ChatProvider & { state(): CircuitState };

/**
 * Stops calling a provider that keeps failing, so callers fall back at once instead of
 * each waiting for a timeout. Closed: calls go through; `failureThreshold` retryable
 * failures within `windowMs` open it. Open: calls fail fast with a retryable
 * ProviderError, code `circuit_open`. After `cooldownMs`, half open: one trial call goes
 * through (the others still fail fast); its success closes the circuit, its failure
 * reopens it. Non-retryable errors (a bad request) say nothing about the provider's health
 * and are not counted. One breaker per wrapped provider instance.
 */
export function withCircuitBreaker(
  provider: ChatProvider,
  options: CircuitBreakerOptions = {},
): BreakerProvider {
  const breaker = new CircuitBreaker(provider.name, {
    failureThreshold: 5,
    windowMs: 60_000,
    cooldownMs: 30_000,
    clock: systemClock,
    ...options,
  });
  const stream = provider.stream?.bind(provider);
  return {
    name: provider.name,
    state: () => breaker.state(),
    async chat(request) {
      const trial = breaker.admit();
      try {
        const response = await provider.chat(request);
        breaker.succeeded(trial);
        return response;
      } catch (error) {
        breaker.failed(trial, error);
        throw error;
      }
    },
    ...(stream && {
      async *stream(request: ChatRequest) {
        const trial = breaker.admit();
        let failed = false;
        try {
          yield* stream(request);
        } catch (error) {
          failed = true;
          breaker.failed(trial, error);
          throw error;
        } finally {
          // Also when the consumer stops early, which it can only do after a chunk.
          if (!failed) breaker.succeeded(trial);
        }
      },
    }),
  };
}

class CircuitBreaker {
  /** When the recent retryable failures happened, while closed. */
  private failures: number[] = [];
  /** When the circuit last opened; undefined while closed. */
  private openedAt: number | undefined;
  private trialRunning = false;

  constructor(
    private readonly provider: string,
    private readonly options: Required<CircuitBreakerOptions>,
  ) {}

  state(): CircuitState {
    if (this.openedAt === undefined) return "closed";
    const cooling = this.options.clock.now() - this.openedAt < this.options.cooldownMs;
    return cooling ? "open" : "half_open";
  }

  /** Lets a call through, returning whether it is the half-open trial, or fails fast. */
  admit(): boolean {
    const state = this.state();
    if (state === "closed") return false;
    if (state === "half_open" && !this.trialRunning) {
      this.trialRunning = true;
      return true;
    }
    throw new ProviderError(`${this.provider} circuit is open after repeated failures`, {
      provider: this.provider,
      retryable: true,
      code: "circuit_open",
    });
  }

  succeeded(trial: boolean): void {
    if (!trial) return;
    this.trialRunning = false;
    this.openedAt = undefined;
    this.failures = [];
  }

  failed(trial: boolean, error: unknown): void {
    if (trial) this.trialRunning = false;
    if (!isRetryable(error)) return;
    const now = this.options.clock.now();
    if (trial) {
      this.openedAt = now;
      return;
    }
    // A call let through while closed may fail after others have opened the circuit.
    if (this.openedAt !== undefined) return;
    this.failures = this.failures.filter((at) => now - at < this.options.windowMs);
    this.failures.push(now);
    if (this.failures.length >= this.options.failureThreshold) {
      this.openedAt = now;
      this.failures = [];
    }
  }
}
