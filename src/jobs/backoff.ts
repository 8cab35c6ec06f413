import type { Random } from "../shared/random.ts";

export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Delay before retry number `attempt` (1 = first retry): exponential, capped, with "equal
 * jitter" (half fixed, half random) so retries after an outage do not arrive in lockstep.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: Random): number {
  const exponential = options.baseDelayMs * 2 ** Math.min(attempt - 1, 30);
  const capped = Math.min(options.maxDelayMs, exponential);
  return Math.round(capped / 2 + (random.next() * capped) / 2);
}
