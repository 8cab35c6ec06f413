import { createHash } from "node:crypto";
import type { Clock } from "../shared/clock.ts";
import type { MainstayError } from "../shared/errors.ts";
import { rateLimitedError } from "../shared/rate-limited.ts";
import type { Executor } from "../store/index.ts";
import type { LimitsConfig } from "./limits-config.ts";
import { StoreRateLimiter } from "./store-rate-limiter.ts";

const STRIKE_SECONDS = 24 * 3600;

/**
 * Slows down key guessing (OWASP Authentication Cheat Sheet, "login throttling"): wrong
 * keys are counted per client address and per key prefix (so one address cannot spray
 * many keys, and many addresses cannot try one key's variants). Past a limit, that address
 * or prefix is locked out for `blockSeconds`, doubled by every earlier lock-out that day.
 */
export class SignInGuard {
  private readonly byAddress: StoreRateLimiter;
  private readonly byPrefix: StoreRateLimiter;
  private readonly strikes: StoreRateLimiter;

  constructor(
    private readonly config: LimitsConfig["signIn"],
    deps: { db: Executor; clock: Clock },
  ) {
    const window = { duration: config.seconds, ...deps };
    this.byAddress = new StoreRateLimiter({
      keyPrefix: "signin.address",
      points: config.perAddress,
      ...window,
    });
    this.byPrefix = new StoreRateLimiter({
      keyPrefix: "signin.prefix",
      points: config.perKeyPrefix,
      ...window,
    });
    this.strikes = new StoreRateLimiter({
      keyPrefix: "signin.strikes",
      points: 1_000_000,
      duration: STRIKE_SECONDS,
      ...deps,
    });
  }

  /** Throws MS_RATE_LIMITED (429) while the address or the key's prefix is locked out. */
  async check(address: string, key: string): Promise<void> {
    for (const [limiter, id] of this.counters(address, key)) {
      if (limiter.points === 0) continue;
      const res = await limiter.get(id);
      if (res && res.consumedPoints > limiter.points) throw lockedOut(res.msBeforeNext);
    }
  }

  /** A wrong key from `address`: counted, and a lock-out starts once a limit is passed. */
  async failed(address: string, key: string): Promise<void> {
    for (const [limiter, id] of this.counters(address, key)) {
      if (limiter.points === 0) continue;
      const res = await limiter.penalty(id, 1);
      if (res.consumedPoints <= limiter.points) continue;
      const strikes = (await this.strikes.penalty(`${limiter.keyPrefix}:${id}`, 1)).consumedPoints;
      const seconds = Math.min(
        this.config.maxBlockSeconds,
        this.config.blockSeconds * 2 ** (strikes - 1),
      );
      // Keeps the count past the limit, so `check` refuses until the lock-out ends.
      await limiter.set(id, res.consumedPoints, seconds);
    }
  }

  /** A right key: its prefix starts afresh; the address keeps its count. */
  async succeeded(key: string): Promise<void> {
    await this.byPrefix.delete(prefixOf(key));
  }

  private counters(address: string, key: string): [StoreRateLimiter, string][] {
    return [
      [this.byAddress, address],
      [this.byPrefix, prefixOf(key)],
    ];
  }
}

/** The first 8 characters of a presented key, hashed: no part of a key is stored. */
function prefixOf(key: string): string {
  return createHash("sha256").update(key.slice(0, 8)).digest("hex").slice(0, 16);
}

export function lockedOut(retryAfterMs: number): MainstayError {
  return rateLimitedError(retryAfterMs, (s) => `too many wrong keys; try again in ${s} s`);
}
