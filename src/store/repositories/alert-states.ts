import type { Executor } from "../database.ts";

/** Where one alert (a rule and its group's labels) stands. */
export interface AlertState {
  rule: string;
  /** Canonical JSON of the group's labels (`{}` for an ungrouped rule). */
  labels: string;
  state: "firing" | "resolved";
  severity: string;
  value: number | null;
  reference: number | null;
  sample: number | null;
  incidentId: string | null;
  /** When it last started firing. */
  since: number;
  resolvedAt: number | null;
  updatedAt: number;
}

export type FiringAlert = Pick<
  AlertState,
  "rule" | "labels" | "severity" | "value" | "reference" | "sample"
>;

/** A notification waiting to be sent to one destination. */
export interface PendingNotification {
  seq: number;
  destination: string;
  data: Record<string, unknown>;
  createdAt: number;
}

interface AlertStateRow {
  rule: string;
  labels: string;
  state: AlertState["state"];
  severity: string;
  value: number | null;
  reference: number | null;
  sample: number | null;
  incident_id: string | null;
  since: number;
  resolved_at: number | null;
  updated_at: number;
}

const toState = (r: AlertStateRow): AlertState => ({
  rule: r.rule,
  labels: r.labels,
  state: r.state,
  severity: r.severity,
  value: r.value,
  reference: r.reference,
  sample: r.sample,
  incidentId: r.incident_id,
  since: r.since,
  resolvedAt: r.resolved_at,
  updatedAt: r.updated_at,
});

/**
 * Alert states and the notifications they produce. State changes are compare-and-set, so
 * when several instances evaluate the same rule only one of them sees the change.
 */
export function alertStatesRepository(db: Executor) {
  return {
    async get(rule: string, labels: string): Promise<AlertState | undefined> {
      const row = await db.get<AlertStateRow>(
        "SELECT * FROM alert_states WHERE rule = ? AND labels = ?",
        [rule, labels],
      );
      return row && toState(row);
    },

    async listFiring(): Promise<AlertState[]> {
      const rows = await db.all<AlertStateRow>(
        "SELECT * FROM alert_states WHERE state = 'firing' ORDER BY rule, labels",
      );
      return rows.map(toState);
    },

    /** Mark the alert firing; true only for the caller that changed it. */
    async fire(alert: FiringAlert, now: number): Promise<boolean> {
      const { changes } = await db.run(
        `INSERT INTO alert_states (rule, labels, state, severity, value, reference, sample,
           since, updated_at)
         VALUES (?, ?, 'firing', ?, ?, ?, ?, ?, ?)
         ON CONFLICT (rule, labels) DO UPDATE SET state = 'firing',
           severity = excluded.severity, value = excluded.value,
           reference = excluded.reference, sample = excluded.sample, incident_id = NULL,
           since = excluded.since, resolved_at = NULL, updated_at = excluded.updated_at
         WHERE alert_states.state <> 'firing'`,
        [
          alert.rule,
          alert.labels,
          alert.severity,
          alert.value,
          alert.reference,
          alert.sample,
          now,
          now,
        ],
      );
      return changes === 1;
    },

    async setIncident(rule: string, labels: string, incidentId: string): Promise<void> {
      await db.run("UPDATE alert_states SET incident_id = ? WHERE rule = ? AND labels = ?", [
        incidentId,
        rule,
        labels,
      ]);
    },

    /** Mark a firing alert resolved; its state before, only for the caller that changed it. */
    async resolve(
      rule: string,
      labels: string,
      value: number | null,
      now: number,
    ): Promise<AlertState | undefined> {
      const before = await db.get<AlertStateRow>(
        "SELECT * FROM alert_states WHERE rule = ? AND labels = ? AND state = 'firing'",
        [rule, labels],
      );
      if (!before) return undefined;
      const { changes } = await db.run(
        `UPDATE alert_states SET state = 'resolved', value = ?, resolved_at = ?, updated_at = ?
         WHERE rule = ? AND labels = ? AND state = 'firing' AND since = ?`,
        [value, now, now, rule, labels, before.since],
      );
      return changes === 1 ? toState(before) : undefined;
    },

    async addNotification(destination: string, data: unknown, now: number): Promise<void> {
      await db.run(
        "INSERT INTO alert_notifications (destination, data, created_at) VALUES (?, ?, ?)",
        [destination, JSON.stringify(data), now],
      );
    },

    /** Oldest first. */
    async unsent(destination: string, limit: number): Promise<PendingNotification[]> {
      const rows = await db.all<{
        seq: number;
        destination: string;
        data: string;
        created_at: number;
      }>(
        `SELECT seq, destination, data, created_at FROM alert_notifications
         WHERE destination = ? AND sent_at IS NULL ORDER BY seq LIMIT ?`,
        [destination, limit],
      );
      return rows.map((r) => ({
        seq: r.seq,
        destination: r.destination,
        data: JSON.parse(r.data) as Record<string, unknown>,
        createdAt: r.created_at,
      }));
    },

    async markSent(destination: string, seqs: readonly number[], now: number): Promise<void> {
      if (seqs.length === 0) return;
      await db.run(
        `UPDATE alert_notifications SET sent_at = ?
         WHERE destination = ? AND seq IN (${seqs.map(() => "?").join(", ")})`,
        [now, destination, ...seqs],
      );
    },

    /**
     * Claim the destination's send: returns when it last sent (null: never) if the caller
     * must schedule it, or undefined when a send is scheduled already.
     */
    async schedule(destination: string): Promise<{ lastSentAt: number | null } | undefined> {
      const row = await db.get<{ last_sent_at: number | null }>(
        `INSERT INTO alert_destinations (name, scheduled, last_sent_at) VALUES (?, 1, NULL)
         ON CONFLICT (name) DO UPDATE SET scheduled = 1 WHERE alert_destinations.scheduled = 0
         RETURNING last_sent_at`,
        [destination],
      );
      return row && { lastSentAt: row.last_sent_at };
    },

    /**
     * A send finished (`sentAt`, or null when nothing was sent): the destination is free
     * again. Locks its row first, so a notification added meanwhile is seen by `countUnsent`.
     */
    async finishSend(destination: string, sentAt: number | null): Promise<void> {
      await db.run(
        `UPDATE alert_destinations SET scheduled = 0,
           last_sent_at = COALESCE(?, last_sent_at) WHERE name = ?`,
        [sentAt, destination],
      );
    },

    /** Keep the destination claimed for another scheduled send. */
    async keepScheduled(destination: string): Promise<void> {
      await db.run("UPDATE alert_destinations SET scheduled = 1 WHERE name = ?", [destination]);
    },

    async countUnsent(destination: string): Promise<number> {
      const row = await db.get<{ n: number }>(
        "SELECT COUNT(*) AS n FROM alert_notifications WHERE destination = ? AND sent_at IS NULL",
        [destination],
      );
      return Number(row?.n ?? 0);
    },
  };
}

export type AlertStatesRepository = ReturnType<typeof alertStatesRepository>;
