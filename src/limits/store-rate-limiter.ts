import { createRequire } from "node:module";
import {
  RateLimiterRes,
  type RateLimiterStoreAbstract as StoreAbstract,
} from "rate-limiter-flexible";
import type { Clock } from "../shared/clock.ts";
import type { Executor } from "../store/index.ts";

// The package declares RateLimiterStoreAbstract, the base of its database stores, in its
// types but leaves it out of its entry point.
const RateLimiterStoreAbstract: typeof StoreAbstract = createRequire(import.meta.url)(
  "rate-limiter-flexible/lib/RateLimiterStoreAbstract.js",
);

interface Row {
  points: number;
  expire: number | null;
}

export interface StoreRateLimiterOptions {
  /** Names the limit; each key is stored as `<keyPrefix>:<key>`. */
  keyPrefix: string;
  points: number;
  /** Window length in seconds; 0 keeps the count forever. */
  duration: number;
  db: Executor;
  clock: Clock;
}

/**
 * rate-limiter-flexible's fixed-window counters kept in our own database (`rate_limits`),
 * so every instance on one PostgreSQL shares them and the embedded SQLite keeps them
 * across restarts. Each consume is one upsert. The library's own SQL stores read the wall
 * clock; this one reads the injected clock, so windows are testable without sleeping.
 */
export class StoreRateLimiter extends RateLimiterStoreAbstract {
  private readonly db: Executor;
  private readonly clock: Clock;

  constructor(options: StoreRateLimiterOptions) {
    const { db, clock, ...limits } = options;
    super({ ...limits, storeClient: db, storeType: "mainstay" });
    this.db = db;
    this.clock = clock;
  }

  /**
   * Points are added to the live window, or start a new one when it has ended. The
   * library passes a consume's `options` through: `executor` runs the upsert in that
   * transaction (the queued intake counts a batch in the commit that takes it in).
   */
  async _upsert(
    key: string,
    points: number,
    msDuration: number,
    forceExpire = false,
    options: { executor?: Executor } = {},
  ) {
    const db = options.executor ?? this.db;
    const now = this.clock.now();
    const expire = msDuration > 0 ? now + msDuration : null;
    const restart = forceExpire
      ? "1 = 1"
      : "rate_limits.expire IS NOT NULL AND rate_limits.expire <= ?";
    return db.get<Row>(
      `INSERT INTO rate_limits (key, points, expire) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET
         points = CASE WHEN ${restart} THEN excluded.points
                       ELSE rate_limits.points + excluded.points END,
         expire = CASE WHEN ${restart} THEN excluded.expire ELSE rate_limits.expire END
       RETURNING points, expire`,
      forceExpire ? [key, points, expire] : [key, points, expire, now, now],
    );
  }

  async _get(key: string) {
    const row = await this.db.get<Row>("SELECT points, expire FROM rate_limits WHERE key = ?", [
      key,
    ]);
    const live = row && (row.expire === null || Number(row.expire) > this.clock.now());
    return live ? row : null;
  }

  async _delete(key: string) {
    return (await this.db.run("DELETE FROM rate_limits WHERE key = ?", [key])).changes > 0;
  }

  _getRateLimiterRes(_key: string, changedPoints: number, row: Row) {
    const points = Number(row.points);
    const expire = row.expire === null ? null : Number(row.expire);
    return new RateLimiterRes(
      Math.max(this.points - points, 0),
      expire === null ? -1 : Math.max(expire - this.clock.now(), 0),
      points,
      changedPoints === points,
    );
  }
}

/** Deletes windows that ended more than `graceMs` ago, at most `limit` rows a call. */
export async function sweepRateLimits(db: Executor, now: number, limit = 1000): Promise<number> {
  const result = await db.run(
    `DELETE FROM rate_limits WHERE key IN (
       SELECT key FROM rate_limits WHERE expire IS NOT NULL AND expire <= ? LIMIT ?)`,
    [now, limit],
  );
  return result.changes;
}
