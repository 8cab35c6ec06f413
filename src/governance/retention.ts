import type { Logger } from "pino";
import { purgeAudit } from "../audit/index.ts";
import type { Clock } from "../shared/clock.ts";
import type { Store } from "../store/index.ts";
import type { DataClass, RetentionConfig } from "./retention-config.ts";
import { type ChannelScope, candidates, PURGERS, type Purger } from "./retention-purgers.ts";

/** Rows per transaction: a few milliseconds each, so SQLite's one connection is never held long. */
export const RETENTION_CHUNK = 200;

/** Rows purged per data class, and audit entries (`audit`, kept on a clock of its own). */
export type PurgeCounts = Partial<Record<DataClass | "audit", number>>;

export interface Retention {
  /** One pass over every class and channel scope; returns what it purged per class. */
  runOnce(): Promise<PurgeCounts>;
  /** Runs a pass every `config.interval` until `stop`. */
  start(): void;
  stop(): Promise<void>;
}

/** Each channel with its own duration for the class, then every other channel on `default`. */
function scopesFor(config: RetentionConfig, dataClass: DataClass) {
  const scopes: { scope: ChannelScope; name: string; keepMs: number }[] = [];
  const own = Object.entries(config.channels).filter(([, p]) => p[dataClass] !== undefined);
  for (const [channel, periods] of own) {
    scopes.push({
      scope: { only: channel },
      name: `channel:${channel}`,
      keepMs: periods[dataClass]!,
    });
  }
  const fallback = config.default[dataClass];
  if (fallback !== undefined) {
    scopes.push({ scope: { except: own.map(([c]) => c) }, name: "default", keepMs: fallback });
  }
  return scopes;
}

export function createRetention(deps: {
  store: Store;
  config: RetentionConfig;
  clock: Clock;
  logger: Logger;
  /** Told after each chunk commits (the `mainstay_retention_purged_total` counter). */
  onPurged?: (dataClass: DataClass | "audit", rows: number) => void;
}): Retention {
  const { store, config, clock, logger } = deps;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  /** Set by `stop`: a pass under way ends after its current chunk. */
  let stopped = false;

  /** One chunk in one transaction; returns rows purged and whether more may follow. */
  async function chunk(purger: Purger, progressName: string, scope: ChannelScope, cutoff: number) {
    return store.transaction(async (tx) => {
      // Instances take turns, so two never purge the same chunk (SQLite is one process).
      if (tx.db.dialect === "postgres") await tx.db.get("SELECT pg_advisory_xact_lock(4244)");
      const at = await tx.db.get<{ created_at: number; id: string }>(
        "SELECT created_at, id FROM retention_progress WHERE name = ?",
        [progressName],
      );
      const position = at && { createdAt: Number(at.created_at), key: at.id };
      const rows = await candidates(tx.db, purger, scope, cutoff, position, RETENTION_CHUNK);
      const purged = rows.length > 0 ? await purger.purge(tx.db, rows, clock.now()) : 0;
      const more = rows.length === RETENTION_CHUNK;
      // A short chunk saw every row stored before the cutoff: the next pass starts there,
      // not at the last row it purged, so rows with nothing to purge are not read again.
      const last = more ? rows.at(-1)! : { created_at: cutoff, row_key: "" };
      await tx.db.run("DELETE FROM retention_progress WHERE name = ?", [progressName]);
      await tx.db.run("INSERT INTO retention_progress (name, created_at, id) VALUES (?, ?, ?)", [
        progressName,
        Number(last.created_at),
        String(last.row_key),
      ]);
      return { purged, more };
    });
  }

  async function runOnce(): Promise<PurgeCounts> {
    const counts: PurgeCounts = {};
    for (const purger of PURGERS) {
      for (const { scope, name, keepMs } of scopesFor(config, purger.dataClass)) {
        const cutoff = clock.now() - keepMs;
        const progressName = `${purger.name}:${name}`;
        let total = 0;
        for (let more = true; more && !stopped; ) {
          const done = await chunk(purger, progressName, scope, cutoff);
          more = done.more;
          total += done.purged;
          if (done.purged > 0) deps.onPurged?.(purger.dataClass, done.purged);
        }
        if (total > 0) {
          logger.info({ table: purger.name, scope: name, purged: total }, "retention purged rows");
        }
        counts[purger.dataClass] = (counts[purger.dataClass] ?? 0) + total;
      }
    }
    if (config.audit !== undefined && !stopped) counts.audit = await purgeAuditLog(config.audit);
    return counts;
  }

  async function purgeAuditLog(keepMs: number): Promise<number> {
    const now = clock.now();
    const result = await purgeAudit(store, now - keepMs, now);
    if (result.purged > 0) {
      deps.onPurged?.("audit", result.purged);
      logger.info(
        { table: "audit_log", purged: result.purged, throughSeq: result.throughSeq },
        "retention purged rows",
      );
    }
    if (result.refused) {
      logger.error(
        { table: "audit_log", reason: result.refused },
        "retention kept audit entries that do not verify: run `mainstay audit verify`",
      );
    }
    return result.purged;
  }

  return {
    runOnce,
    start() {
      const nothingToPurge = PURGERS.every((p) => scopesFor(config, p.dataClass).length === 0);
      if (nothingToPurge && config.audit === undefined) return;
      timer = setInterval(() => {
        if (running) return;
        running = runOnce()
          .catch((e) => logger.warn({ err: e }, "retention pass failed; the next one resumes"))
          .finally(() => {
            running = undefined;
          });
      }, config.interval);
      timer.unref();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
