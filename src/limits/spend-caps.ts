import type { Executor } from "../store/index.ts";
import type { SpendConfig, SpendLimit } from "./limits-config.ts";

const DAY_MS = 24 * 3600 * 1000;

type Scope = "conversation" | "contact" | "version";

/** Whose spending a turn adds to. */
export interface SpendKeys {
  conversationId: string;
  contactId: string;
  agent: { id: string; version: string };
}

/** A cap that is reached: which one, the limit and what was spent. */
export interface SpendCap {
  scope: Scope;
  unit: "usd" | "tokens";
  limit: number;
  spent: number;
}

interface CounterRow {
  scope: Scope;
  cost: number;
  tokens: number;
}

/**
 * Money and tokens per conversation (its whole life), per contact and per agent version
 * (per UTC day), kept as running sums in `spend_counters`: checking is one indexed read of
 * at most three rows, whatever the history, and recording is added to the turn's own
 * transaction.
 */
export class SpendCaps {
  constructor(private readonly config: SpendConfig) {}

  get action(): SpendConfig["action"] {
    return this.config.action;
  }

  get message(): string | undefined {
    return this.config.message;
  }

  /** The first cap `keys` have reached, or undefined when the turn may go ahead. */
  async reached(db: Executor, keys: SpendKeys, now: number): Promise<SpendCap | undefined> {
    const limits = this.limits();
    if (limits.length === 0) return undefined;
    const ids = this.counterKeys(keys, now);
    const rows = await db.all<CounterRow>(
      `SELECT scope, cost, tokens FROM spend_counters WHERE
         (scope = 'conversation' AND key = ? AND period = ?) OR
         (scope = 'contact' AND key = ? AND period = ?) OR
         (scope = 'version' AND key = ? AND period = ?)`,
      ids.flatMap((c) => [c.key, c.period]),
    );
    for (const [scope, limit] of limits) {
      const row = rows.find((r) => r.scope === scope);
      const cost = Number(row?.cost ?? 0);
      const tokens = Number(row?.tokens ?? 0);
      if (limit.usd !== undefined && cost >= limit.usd) {
        return { scope, unit: "usd", limit: limit.usd, spent: cost };
      }
      if (limit.tokens !== undefined && tokens >= limit.tokens) {
        return { scope, unit: "tokens", limit: limit.tokens, spent: tokens };
      }
    }
    return undefined;
  }

  /** Adds one turn's cost (null: unknown price) and tokens, in the caller's transaction. */
  async record(
    tx: Executor,
    keys: SpendKeys,
    spent: { cost: number | null; tokens: number },
    now: number,
    scopes: readonly Scope[] = ["conversation", "contact", "version"],
  ): Promise<void> {
    const cost = spent.cost ?? 0;
    if (cost === 0 && spent.tokens === 0) return;
    for (const c of this.counterKeys(keys, now).filter((c) => scopes.includes(c.scope))) {
      await tx.run(
        `INSERT INTO spend_counters (scope, key, period, cost, tokens) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (scope, key, period) DO UPDATE SET
           cost = spend_counters.cost + excluded.cost,
           tokens = spend_counters.tokens + excluded.tokens`,
        [c.scope, c.key, c.period, cost, spent.tokens],
      );
    }
  }

  private limits(): [Scope, SpendLimit][] {
    const all: [Scope, SpendLimit][] = [
      ["conversation", this.config.perConversation],
      ["contact", this.config.perContactPerDay],
      ["version", this.config.perVersionPerDay],
    ];
    return all.filter(([, l]) => l.usd !== undefined || l.tokens !== undefined);
  }

  private counterKeys(keys: SpendKeys, now: number) {
    const day = now - (now % DAY_MS);
    return [
      { scope: "conversation" as const, key: keys.conversationId, period: 0 },
      { scope: "contact" as const, key: keys.contactId, period: day },
      { scope: "version" as const, key: `${keys.agent.id}@${keys.agent.version}`, period: day },
    ];
  }
}
