import type { Logger } from "pino";
import type { Clock } from "../shared/clock.ts";
import type { Executor, Store } from "../store/index.ts";
import type { LimitsConfig } from "./limits-config.ts";
import { MessageLimits } from "./message-limits.ts";
import { type RateLimit, rateLimit } from "./rate-limit.ts";
import { SignInGuard } from "./sign-in-guard.ts";
import { SpendCaps } from "./spend-caps.ts";
import { sweepRateLimits } from "./store-rate-limiter.ts";

/** Every limit of one server, built once from `limits` and shared by the modules. */
export interface Limits {
  readonly config: LimitsConfig;
  readonly messages: MessageLimits;
  readonly signIn: SignInGuard;
  readonly spend: SpendCaps;
  /** New web-chat sessions per client address. */
  readonly webchatSessions: RateLimit;
  /** Deletes ended windows and expired nonces in chunks; returns how many rows went. */
  sweep(): Promise<number>;
  /** Sweeps every `intervalMs` until `stop`. */
  start(intervalMs?: number): void;
  stop(): void;
}

const SWEEP_CHUNK = 1000;

export function createLimits(
  config: LimitsConfig,
  deps: { store: Store; clock: Clock; logger: Logger },
): Limits {
  const { store, clock, logger } = deps;
  const counters: { db: Executor; clock: Clock } = { db: store.db, clock };
  let timer: NodeJS.Timeout | undefined;
  const limits: Limits = {
    config,
    messages: new MessageLimits(config, counters),
    signIn: new SignInGuard(config.signIn, counters),
    spend: new SpendCaps(config.spend),
    webchatSessions: rateLimit("webchat.sessions", config.webchat.sessionsPerAddress, counters),
    async sweep() {
      // Chunked so that no statement holds the (single) SQLite connection for long.
      let removed = 0;
      for (;;) {
        const now = clock.now();
        const n =
          (await sweepRateLimits(store.db, now, SWEEP_CHUNK)) +
          (await store.seenNonces.sweep(now, SWEEP_CHUNK));
        removed += n;
        if (n < SWEEP_CHUNK) return removed;
      }
    },
    start(intervalMs = 10 * 60 * 1000) {
      timer = setInterval(() => {
        limits.sweep().catch((e) => logger.warn({ err: e }, "sweeping ended limits failed"));
      }, intervalMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
  };
  return limits;
}
