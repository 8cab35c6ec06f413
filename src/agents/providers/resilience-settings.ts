import { z } from "zod";

type NumberField = (schema: z.ZodNumber) => z.ZodType<number | undefined>;

const plain: NumberField = (schema) => schema.optional();

/**
 * The settings of the middleware around each provider call: a retry policy and a circuit
 * breaker, each field optional. The server's `providers:` in mainstay.yaml writes them
 * (numbers there may come from `${VAR}`, hence `number`), and so may each provider entry of
 * an agent document.
 */
export function resilienceFields(number: NumberField = plain) {
  return {
    retry: z
      .strictObject({
        /** Calls in all, the first one included; 1 turns retrying off. */
        maxAttempts: number(z.number().int().min(1).max(10)),
        baseDelayMs: number(z.number().int().min(0).max(60_000)),
        maxDelayMs: number(z.number().int().min(0).max(600_000)),
        maxRetryAfterMs: number(z.number().int().min(0).max(600_000)),
      })
      .optional(),
    breaker: z
      .strictObject({
        failureThreshold: number(z.number().int().min(1).max(1000)),
        windowMs: number(z.number().int().min(1000).max(3_600_000)),
        cooldownMs: number(z.number().int().min(1000).max(3_600_000)),
      })
      .optional(),
  };
}

/** What agents/middleware's withRetry and withCircuitBreaker take, minus clock and jitter. */
export interface ResilienceSettings {
  retry?:
    | {
        maxAttempts?: number | undefined;
        baseDelayMs?: number | undefined;
        maxDelayMs?: number | undefined;
        maxRetryAfterMs?: number | undefined;
      }
    | undefined;
  breaker?:
    | {
        failureThreshold?: number | undefined;
        windowMs?: number | undefined;
        cooldownMs?: number | undefined;
      }
    | undefined;
}

/**
 * The settings a provider call runs with, field by field: the document's entry first, then
 * the server's defaults; a field neither sets is left out, so the middleware's own default
 * applies (an `undefined` would override it).
 */
export function resolveResilience(
  entry: ResilienceSettings,
  server: ResilienceSettings = {},
): Required<ResilienceSettings> {
  return {
    retry: defined({ ...defined(server.retry), ...defined(entry.retry) }),
    breaker: defined({ ...defined(server.breaker), ...defined(entry.breaker) }),
  };
}

function defined<T extends object>(value: T | undefined): T {
  if (!value) return {} as T;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
