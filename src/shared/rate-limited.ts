import { MainstayError } from "./errors.ts";

/**
 * A 429 `MS_RATE_LIMITED` that says when to try again: `Retry-After` (whole seconds, at
 * least 1) from `retryAfterSeconds`, and the same number in the message `say` writes.
 */
export function rateLimitedError(
  retryAfterMs: number,
  say: (seconds: number) => string,
): MainstayError {
  const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new MainstayError("MS_RATE_LIMITED", say(retryAfterSeconds), 429, { retryAfterSeconds });
}
