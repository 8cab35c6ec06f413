import { MainstayError } from "../../shared/errors.ts";
import { newId } from "../../shared/ids.ts";
import type { Incident, IncidentSeverity, Repositories } from "../../store/index.ts";

export interface IncidentInput {
  title: string;
  severity: IncidentSeverity;
  /** Who opens it: `alert`, `rollout`, `manual`, ... */
  source: string;
  /** While an incident with this key is unresolved, opening again returns it. */
  key?: string | null;
  data?: Record<string, unknown>;
  /** Recorded on the timeline (`mainstay` when the system opens it). */
  actor?: string;
}

export interface IncidentEventInput {
  /** `alert.fired`, `rollout.decision`, `agent.killed`, `note`, ... */
  type: string;
  data: Record<string, unknown>;
  actor: string;
}

const RANK: Record<IncidentSeverity, number> = { critical: 0, warning: 1, info: 2 };

/** Open an incident, or return the unresolved one with the same key. In the caller's transaction. */
export async function openIncident(
  repos: Repositories,
  input: IncidentInput,
  now: number,
): Promise<{ incident: Incident; created: boolean }> {
  const key = input.key ?? null;
  if (key !== null) {
    const existing = await repos.incidents.findUnresolved(key);
    if (existing) return { incident: existing, created: false };
  }
  const id = newId("inc", now);
  const data = input.data ?? {};
  const { title, severity, source } = input;
  if (!(await repos.incidents.insert({ id, key, title, severity, source, data }, now))) {
    // Another instance opened it between the lookup and the insert.
    return { incident: (await repos.incidents.findUnresolved(key!))!, created: false };
  }
  await repos.incidents.appendEvent(
    {
      incidentId: id,
      type: "incident.opened",
      actor: input.actor ?? "mainstay",
      data: { title, severity, source, ...data },
    },
    now,
  );
  return { incident: (await repos.incidents.get(id))!, created: true };
}

/** Add an entry to an incident's timeline (a decision, a kill, an alert). */
export async function appendIncidentEvent(
  repos: Repositories,
  incidentId: string,
  event: IncidentEventInput,
  now: number,
): Promise<void> {
  await incidentOrThrow(repos, incidentId);
  await repos.incidents.appendEvent({ incidentId, ...event }, now);
}

/**
 * Where a firing alert goes: the most recent unresolved incident (whatever opened it: a
 * storm, or a rollback and the alerts that follow it, is one incident), else a new one.
 * Its severity is raised to the alert's when that is higher.
 */
export async function incidentForAlert(
  repos: Repositories,
  alert: { title: string; severity: IncidentSeverity; data: Record<string, unknown> },
  now: number,
): Promise<Incident> {
  const open = await repos.incidents.latestUnresolved();
  if (!open) {
    const { incident } = await openIncident(
      repos,
      { ...alert, source: "alert", key: "alerts" },
      now,
    );
    return incident;
  }
  if (RANK[alert.severity] < RANK[open.severity]) {
    await repos.incidents.setSeverity(open.id, alert.severity, now);
    return { ...open, severity: alert.severity };
  }
  return open;
}

export async function addIncidentNote(
  repos: Repositories,
  incidentId: string,
  text: string,
  actor: string,
  now: number,
): Promise<void> {
  await appendIncidentEvent(repos, incidentId, { type: "note", data: { text }, actor }, now);
}

/** Someone is on it. Acknowledging twice is harmless; a resolved incident cannot be. */
export async function acknowledgeIncident(
  repos: Repositories,
  incidentId: string,
  actor: string,
  now: number,
): Promise<Incident> {
  const incident = await incidentOrThrow(repos, incidentId);
  if (incident.status === "resolved") {
    throw new MainstayError(
      "MS_INCIDENT_RESOLVED",
      `incident ${incidentId} is resolved; open a new one`,
      409,
    );
  }
  if (await repos.incidents.acknowledge(incidentId, actor, now)) {
    await repos.incidents.appendEvent(
      { incidentId, type: "incident.acknowledged", actor, data: {} },
      now,
    );
  }
  return (await repos.incidents.get(incidentId))!;
}

/** Close it, with an optional closing note. Resolving twice is harmless. */
export async function resolveIncident(
  repos: Repositories,
  incidentId: string,
  actor: string,
  note: string | undefined,
  now: number,
): Promise<Incident> {
  await incidentOrThrow(repos, incidentId);
  if (await repos.incidents.resolve(incidentId, actor, now)) {
    await repos.incidents.appendEvent(
      { incidentId, type: "incident.resolved", actor, data: note ? { note } : {} },
      now,
    );
  }
  return (await repos.incidents.get(incidentId))!;
}

async function incidentOrThrow(repos: Repositories, incidentId: string): Promise<Incident> {
  const incident = await repos.incidents.get(incidentId);
  if (!incident) {
    throw new MainstayError("MS_NOT_FOUND", `no incident ${incidentId}`, 404);
  }
  return incident;
}
