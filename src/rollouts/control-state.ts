import type { Logger } from "pino";
import type { AgentKill, Executor, RolloutRecord, Store } from "../store/index.ts";
import { type RolloutSpec, rolloutSpecSchema } from "./rollout-spec.ts";

/** Instances tell each other that a rollout or kill switch changed (PostgreSQL NOTIFY). */
export const CONTROL_CHANNEL = "mainstay_control";

export interface LiveRollout {
  record: RolloutRecord;
  spec: RolloutSpec;
}

/** Wake every instance's control state after the caller's transaction commits. */
export async function notifyControl(tx: Executor): Promise<void> {
  if (tx.dialect === "postgres") await tx.get(`SELECT pg_notify('${CONTROL_CHANNEL}', '')`);
}

/**
 * What every instance must agree on at once: which agents are killed and which rollouts
 * are live. Read on every message, so it is kept in memory and reloaded when another
 * instance announces a change (LISTEN/NOTIFY) and on a short poll as a safety net (a
 * missed notification, or a CLI writing to the same SQLite file).
 */
export class ControlState {
  private kills = new Map<string, AgentKill>();
  private rollouts = new Map<string, LiveRollout>();
  private timer: NodeJS.Timeout | undefined;
  private loading: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly store: Store,
    private readonly options: { pollMs: number; logger: Logger },
  ) {}

  /** Load now, then follow changes until `stop`. */
  async start(): Promise<void> {
    await this.refresh();
    await this.store.listen(CONTROL_CHANNEL, () => void this.refresh());
    this.timer = setInterval(() => void this.refresh(), this.options.pollMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Reload from the store; concurrent calls share one load and run once more after it. */
  refresh(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = this.load()
      .catch((err) => this.options.logger.warn({ err }, "control state reload failed"))
      .finally(() => {
        this.loading = undefined;
        if (this.again) {
          this.again = false;
          void this.refresh();
        }
      });
    return this.loading;
  }

  killOf(agentId: string | null): AgentKill | undefined {
    return agentId === null ? undefined : this.kills.get(agentId);
  }

  rolloutOf(agentId: string | null): LiveRollout | undefined {
    return agentId === null ? undefined : this.rollouts.get(agentId);
  }

  liveRollouts(): RolloutRecord[] {
    return [...this.rollouts.values()].map((r) => r.record);
  }

  private async load(): Promise<void> {
    const [kills, rollouts] = await Promise.all([
      this.store.agentKills.all(),
      this.store.rollouts.live(),
    ]);
    this.kills = new Map(kills.map((k) => [k.agentId, k]));
    this.rollouts = new Map(
      rollouts.map((r) => [
        r.agentId,
        { record: r, spec: rolloutSpecSchema.parse(JSON.parse(r.spec)) },
      ]),
    );
  }
}
