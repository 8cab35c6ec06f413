import type { Logger } from "pino";
import type { Clock } from "../../shared/clock.ts";
import type { Store } from "../../store/index.ts";
import type { NotificationOutbox } from "../notifiers/notification-outbox.ts";
import { MINUTE_MS } from "../rollups/compute-rollups.ts";
import { closedUntil, rollUpMinutes, SETTLE_MS } from "../rollups/roll-up-minutes.ts";
import type { AlertRule } from "./alert-rules.ts";
import { type AlertTransition, evaluateAlerts } from "./evaluate-alerts.ts";

/** Passes one tick runs at most before yielding; a long catch-up continues on the next tick. */
const PASSES_PER_TICK = 10;

export interface MonitorOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  rules: readonly AlertRule[];
  outbox: NotificationOutbox;
}

export interface TickResult {
  /** End of the rolled-up minutes after this tick. */
  rolledUpTo: number;
  /** False while rollups are still catching up: stale windows are not judged. */
  evaluated: boolean;
  transitions: AlertTransition[];
}

/**
 * Once a minute, just after it closes: roll up the closed minutes, then judge the alert
 * rules over them. Every instance runs one; rollups are idempotent and alert changes are
 * compare-and-set, so the instances agree on what fired and it is notified once.
 */
export class Monitor {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = true;

  constructor(private readonly options: MonitorOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(this.delayToNextMinute());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running.catch(() => undefined);
  }

  /** One round, after any round still running; tests drive the monitor with it. */
  tick(): Promise<TickResult> {
    const next = this.running.catch(() => undefined).then(() => this.round());
    this.running = next;
    return next;
  }

  private async round(): Promise<TickResult> {
    const { store, clock } = this.options;
    const now = clock.now();
    let pass = await rollUpMinutes(store, now);
    for (let i = 1; pass.behind && i < PASSES_PER_TICK; i++) pass = await rollUpMinutes(store, now);
    if (pass.behind || pass.to < closedUntil(now)) {
      return { rolledUpTo: pass.to, evaluated: false, transitions: [] };
    }
    const transitions = await evaluateAlerts(this.options, closedUntil(now), now);
    for (const t of transitions) this.options.logger.warn({ alert: t }, `alert ${t.state}`);
    return { rolledUpTo: pass.to, evaluated: true, transitions };
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(async () => {
      let behind = false;
      try {
        behind = !(await this.tick()).evaluated;
      } catch (e) {
        this.options.logger.error({ err: e }, "monitoring round failed");
      }
      if (!this.stopped) this.schedule(behind ? 0 : this.delayToNextMinute());
    }, delayMs);
    this.timer.unref();
  }

  /** Until the current minute has closed and settled. */
  private delayToNextMinute(): number {
    const now = this.options.clock.now();
    const due = closedUntil(now) + MINUTE_MS + SETTLE_MS;
    return Math.min(Math.max(due - now, 1_000), MINUTE_MS + SETTLE_MS);
  }
}
