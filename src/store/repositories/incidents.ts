import type { Executor } from "../database.ts";
import { SqlFilter } from "../sql-filter.ts";

export type IncidentSeverity = "critical" | "warning" | "info";
export type IncidentStatus = "open" | "acknowledged" | "resolved";

export interface Incident {
  id: string;
  /** Opening again with the same key while this one is unresolved returns this one. */
  key: string | null;
  title: string;
  severity: IncidentSeverity;
  status: IncidentStatus;
  /** Who opened it: `alert`, `rollout`, `manual`, ... */
  source: string;
  data: Record<string, unknown>;
  openedAt: number;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  resolvedAt: number | null;
  resolvedBy: string | null;
  updatedAt: number;
}

/** One entry of an incident's timeline (append only). */
export interface IncidentEvent {
  seq: number;
  incidentId: string;
  type: string;
  actor: string;
  data: Record<string, unknown>;
  createdAt: number;
}

export type NewIncident = Pick<Incident, "id" | "key" | "title" | "severity" | "source" | "data">;

interface IncidentRow {
  id: string;
  incident_key: string | null;
  title: string;
  severity: IncidentSeverity;
  status: IncidentStatus;
  source: string;
  data: string;
  opened_at: number;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  resolved_at: number | null;
  resolved_by: string | null;
  updated_at: number;
}

interface IncidentEventRow {
  seq: number;
  incident_id: string;
  type: string;
  actor: string;
  data: string;
  created_at: number;
}

const toIncident = (r: IncidentRow): Incident => ({
  id: r.id,
  key: r.incident_key,
  title: r.title,
  severity: r.severity,
  status: r.status,
  source: r.source,
  data: JSON.parse(r.data) as Record<string, unknown>,
  openedAt: r.opened_at,
  acknowledgedAt: r.acknowledged_at,
  acknowledgedBy: r.acknowledged_by,
  resolvedAt: r.resolved_at,
  resolvedBy: r.resolved_by,
  updatedAt: r.updated_at,
});

export function incidentsRepository(db: Executor) {
  const get = async (id: string) => {
    const row = await db.get<IncidentRow>("SELECT * FROM incidents WHERE id = ?", [id]);
    return row && toIncident(row);
  };

  return {
    get,

    /** Inserts the incident unless an unresolved one has its key; false when one had. */
    async insert(incident: NewIncident, now: number): Promise<boolean> {
      const { changes } = await db.run(
        `INSERT INTO incidents (id, incident_key, title, severity, status, source, data,
           opened_at, updated_at)
         VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        [
          incident.id,
          incident.key,
          incident.title,
          incident.severity,
          incident.source,
          JSON.stringify(incident.data),
          now,
          now,
        ],
      );
      return changes === 1;
    },

    async findUnresolved(key: string): Promise<Incident | undefined> {
      const row = await db.get<IncidentRow>(
        "SELECT * FROM incidents WHERE incident_key = ? AND status <> 'resolved'",
        [key],
      );
      return row && toIncident(row);
    },

    /** The most recently opened incident that is not resolved. */
    async latestUnresolved(): Promise<Incident | undefined> {
      const row = await db.get<IncidentRow>(
        "SELECT * FROM incidents WHERE status <> 'resolved' ORDER BY id DESC LIMIT 1",
      );
      return row && toIncident(row);
    },

    /** Newest first, before the given id. */
    async list(
      filter: { status?: IncidentStatus },
      limit: number,
      beforeId?: string,
    ): Promise<Incident[]> {
      const where = new SqlFilter().addIf("id < ?", beforeId).addIf("status = ?", filter.status);
      const rows = await db.all<IncidentRow>(
        `SELECT * FROM incidents ${where.where} ORDER BY id DESC LIMIT ?`,
        [...where.params, limit],
      );
      return rows.map(toIncident);
    },

    /** Acknowledge an open incident; false when it was not open. */
    async acknowledge(id: string, actor: string, now: number): Promise<boolean> {
      const { changes } = await db.run(
        `UPDATE incidents SET status = 'acknowledged', acknowledged_at = ?, acknowledged_by = ?,
           updated_at = ? WHERE id = ? AND status = 'open'`,
        [now, actor, now, id],
      );
      return changes === 1;
    },

    /** Resolve an unresolved incident; false when it was resolved already. */
    async resolve(id: string, actor: string, now: number): Promise<boolean> {
      const { changes } = await db.run(
        `UPDATE incidents SET status = 'resolved', resolved_at = ?, resolved_by = ?,
           updated_at = ? WHERE id = ? AND status <> 'resolved'`,
        [now, actor, now, id],
      );
      return changes === 1;
    },

    async setSeverity(id: string, severity: IncidentSeverity, now: number): Promise<void> {
      await db.run("UPDATE incidents SET severity = ?, updated_at = ? WHERE id = ?", [
        severity,
        now,
        id,
      ]);
    },

    async appendEvent(event: Omit<IncidentEvent, "seq" | "createdAt">, now: number): Promise<void> {
      await db.run(
        `INSERT INTO incident_events (incident_id, type, actor, data, created_at)
         VALUES (?, ?, ?, ?, ?)`,
        [event.incidentId, event.type, event.actor, JSON.stringify(event.data), now],
      );
      await db.run("UPDATE incidents SET updated_at = ? WHERE id = ?", [now, event.incidentId]);
    },

    async events(incidentId: string, limit = 1000): Promise<IncidentEvent[]> {
      const rows = await db.all<IncidentEventRow>(
        "SELECT * FROM incident_events WHERE incident_id = ? ORDER BY seq LIMIT ?",
        [incidentId, limit],
      );
      return rows.map((r) => ({
        seq: r.seq,
        incidentId: r.incident_id,
        type: r.type,
        actor: r.actor,
        data: JSON.parse(r.data) as Record<string, unknown>,
        createdAt: r.created_at,
      }));
    },
  };
}

export type IncidentsRepository = ReturnType<typeof incidentsRepository>;
