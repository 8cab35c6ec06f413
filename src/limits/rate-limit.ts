import { BurstyRateLimiter, RateLimiterRes } from "rate-limiter-flexible";
import type { Clock } from "../shared/clock.ts";
import type { Executor } from "../store/index.ts";
import type { RateSpec } from "./limits-config.ts";
import { StoreRateLimiter } from "./store-rate-limiter.ts";

export type Verdict = { ok: true } | { ok: false; limit: string; retryAfterMs: number };

export interface RateLimit {
  readonly name: string;
  /** False when the spec lets everything through (`points: 0`): `take` costs nothing. */
  readonly counts: boolean;
  /**
   * Spends `points` of `key`'s allowance; refused when the window (and burst) is used up.
   * `on`: count in that transaction instead of a statement of its own.
   */
  take(key: string, points?: number, on?: Executor): Promise<Verdict>;
  /**
   * Whether `key` is already refused (its window and its burst used up), spending
   * nothing: one read, for turning a flood away before any work is done for it.
   */
  refused(key: string): Promise<Verdict>;
}

interface Limiter {
  /**
   * The library passes `options` to the store's `_upsert` untouched; its types name only
   * the options of its Mongo store, so ours (`{ executor }`) go in as `never`.
   */
  consume(key: string, points: number, options: never): Promise<unknown>;
}

/**
 * A named limit from its spec, counted in the database. A spec with `points: 0` lets
 * everything through without a statement.
 */
export function rateLimit(
  name: string,
  spec: RateSpec,
  deps: { db: Executor; clock: Clock },
): RateLimit {
  if (spec.points === 0) {
    const ok = async (): Promise<Verdict> => ({ ok: true });
    return { name, counts: false, take: ok, refused: ok };
  }
  const base = new StoreRateLimiter({
    keyPrefix: name,
    points: spec.points,
    duration: spec.seconds,
    ...deps,
  });
  const burst =
    spec.burst > 0
      ? new StoreRateLimiter({
          keyPrefix: `${name}.burst`,
          points: spec.burst,
          duration: spec.burstSeconds ?? spec.seconds * 10,
          ...deps,
        })
      : undefined;
  const limiter: Limiter = burst ? new BurstyRateLimiter(base, burst) : base;
  /** Milliseconds until `limiter` takes `key` again; 0 when it would now. */
  const waitOf = async (of: StoreRateLimiter, key: string) => {
    const res = await of.get(key);
    return res && res.remainingPoints <= 0 ? Math.max(res.msBeforeNext, 1) : 0;
  };
  return {
    name,
    counts: true,
    async refused(key) {
      const wait = await waitOf(base, key);
      if (wait === 0) return { ok: true };
      const burstWait = burst ? await waitOf(burst, key) : wait;
      if (burstWait === 0) return { ok: true };
      return { ok: false, limit: name, retryAfterMs: Math.max(Math.min(wait, burstWait), 1000) };
    },
    async take(key, points = 1, on) {
      try {
        await limiter.consume(key, points, (on ? { executor: on } : {}) as never);
        return { ok: true };
      } catch (e) {
        // The library rejects with its result object when the limit is reached.
        if (!(e instanceof RateLimiterRes)) throw e;
        return { ok: false, limit: name, retryAfterMs: Math.max(e.msBeforeNext, 1000) };
      }
    },
  };
}
