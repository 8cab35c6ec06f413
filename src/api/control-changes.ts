import type { Logger } from "pino";
import type { Store } from "../store/index.ts";

/** What the console refreshes: a rollout, an agent (version, kill), an alert, an incident. */
export type ControlTopic = "rollout" | "agent" | "alert" | "incident";

export interface ControlChange {
  topic: ControlTopic;
  /** The audit action behind it (`rollout.rollback`, `agent.kill`), when one was recorded. */
  action?: string;
  /** The rollout, agent or incident id, when known. */
  target?: string;
}

export type ControlListener = (change: ControlChange) => void;

/** Audit actions by prefix: every rollout decision, kill and version change is audited. */
const TOPIC_OF_ACTION: [prefix: string, topic: ControlTopic][] = [
  ["rollout.", "rollout"],
  ["agent.", "agent"],
  ["incident.", "incident"],
];

/** Often enough that a page follows a rollback within a moment; cheap (three indexed reads). */
const POLL_MS = 2_000;
const AUDIT_PAGE = 100;
const INCIDENTS_WATCHED = 20;

/**
 * Changes to rollouts, agents, alerts and incidents, read from the database on a poll
 * while someone listens. Polling rather than an in-process hook, because these change in
 * other processes too: another instance, the alert monitor, or `mainstay rollout abort`
 * from a terminal writing to the same SQLite file. The audit log tells which rollout or
 * agent changed; alert states and the newest incidents are compared with the last read.
 */
export class ControlChanges {
  private readonly listeners = new Set<ControlListener>();
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  private seen: { auditSeq: number; alerts: string; incidents: string } | undefined;

  constructor(
    private readonly store: Store,
    private readonly options: { logger: Logger; pollMs?: number },
  ) {}

  /** Polling runs while at least one listener is subscribed. */
  subscribe(listener: ControlListener): () => void {
    this.listeners.add(listener);
    if (!this.timer) {
      void this.check();
      this.timer = setInterval(() => void this.check(), this.options.pollMs ?? POLL_MS);
      this.timer.unref();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.seen = undefined;
  }

  /** Read once and tell listeners what changed since the last read (the first read sets the mark). */
  check(): Promise<void> {
    this.checking ??= this.read()
      .catch((err) => this.options.logger.warn({ err }, "reading control changes failed"))
      .finally(() => {
        this.checking = undefined;
      });
    return this.checking;
  }

  private async read(): Promise<void> {
    const [last, firing, incidents] = await Promise.all([
      this.store.auditLog.last(),
      this.store.alertStates.listFiring(),
      this.store.incidents.list({}, INCIDENTS_WATCHED),
    ]);
    const now = {
      auditSeq: last?.seq ?? 0,
      alerts: firing
        .map((a) => `${a.rule}|${a.labels}|${a.since}|${a.value}`)
        .sort()
        .join("\n"),
      incidents: incidents
        .map((i) => `${i.id}|${i.status}|${i.severity}|${i.updatedAt}`)
        .join("\n"),
    };
    const before = this.seen;
    this.seen = now;
    if (!before) return;
    const changes: ControlChange[] = [];
    if (now.auditSeq > before.auditSeq) {
      const entries = await this.store.auditLog.page(before.auditSeq, now.auditSeq, AUDIT_PAGE);
      // More than a page since the last read: say every topic may have changed.
      if (entries.length === AUDIT_PAGE) {
        for (const [, topic] of TOPIC_OF_ACTION) changes.push({ topic });
      }
      for (const entry of entries.length === AUDIT_PAGE ? [] : entries) {
        const topic = TOPIC_OF_ACTION.find(([prefix]) => entry.action.startsWith(prefix))?.[1];
        if (topic) {
          changes.push({
            topic,
            action: entry.action,
            ...(entry.target && { target: entry.target }),
          });
        }
      }
    }
    if (now.alerts !== before.alerts) changes.push({ topic: "alert" });
    if (now.incidents !== before.incidents && !changes.some((c) => c.topic === "incident")) {
      changes.push({ topic: "incident" });
    }
    for (const change of changes) for (const listener of this.listeners) listener(change);
  }
}
