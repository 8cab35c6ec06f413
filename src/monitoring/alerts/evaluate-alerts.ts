import type { AlertState, Store } from "../../store/index.ts";
import { appendIncidentEvent, incidentForAlert } from "../incidents/incidents.ts";
import type { NotificationOutbox } from "../notifiers/notification-outbox.ts";
import type { Labels } from "../rollups/metric-series.ts";
import { alertNotice, labelsKey } from "./alert-notice.ts";
import type { AlertRule } from "./alert-rules.ts";
import { emptyObservation, judge, type Observation, observeRule } from "./observe-rule.ts";

export interface AlertTransition {
  rule: string;
  labels: Labels;
  state: "firing" | "resolved";
  incidentId: string | null;
}

export interface AlertEvaluation {
  store: Store;
  rules: readonly AlertRule[];
  outbox: NotificationOutbox;
}

/**
 * Judge every rule over the window ending at `end` (the rolled-up minutes) and record
 * what changed: an alert that starts firing joins or opens an incident and is notified;
 * one that stops is resolved and notified. An alert already firing says nothing more.
 */
export async function evaluateAlerts(
  deps: AlertEvaluation,
  end: number,
  now: number,
): Promise<AlertTransition[]> {
  const { store, rules } = deps;
  const firing = await store.alertStates.listFiring();
  const firingOf = (rule: string, labels: string) =>
    firing.find((s) => s.rule === rule && s.labels === labels);
  const transitions: AlertTransition[] = [];
  for (const rule of rules) {
    const observations = await observeRule(store, rule, end, now);
    const seen = new Set(observations.map((o) => labelsKey(o.labels)));
    // Groups that were firing and have no rows left in the window.
    for (const state of firing) {
      if (state.rule === rule.name && !seen.has(state.labels)) {
        observations.push(emptyObservation(rule, JSON.parse(state.labels) as Labels));
      }
    }
    for (const o of observations) {
      const verdict = judge(rule, o);
      const state = firingOf(rule.name, labelsKey(o.labels));
      if (verdict === "firing" && !state) {
        const incidentId = await fire(deps, rule, o, now);
        if (incidentId) {
          transitions.push({ rule: rule.name, labels: o.labels, state: "firing", incidentId });
        }
      } else if (verdict === "ok" && state) {
        if (await resolve(deps, rule, state, o, now)) transitions.push(resolved(state));
      }
    }
  }
  // A rule removed from the config (or turned off) resolves what it had firing.
  const names = new Set(rules.map((r) => r.name));
  for (const state of firing.filter((s) => !names.has(s.rule))) {
    if (await resolve(deps, undefined, state, undefined, now)) transitions.push(resolved(state));
  }
  return transitions;
}

const resolved = (state: AlertState): AlertTransition => ({
  rule: state.rule,
  labels: JSON.parse(state.labels) as Labels,
  state: "resolved",
  incidentId: state.incidentId,
});

/** Returns the incident, or undefined when another instance recorded the change first. */
async function fire(deps: AlertEvaluation, rule: AlertRule, o: Observation, now: number) {
  const labels = labelsKey(o.labels);
  return deps.store.transaction(async (tx) => {
    const changed = await tx.alertStates.fire(
      {
        rule: rule.name,
        labels,
        severity: rule.severity,
        value: o.value,
        reference: o.reference?.value ?? null,
        sample: o.sample,
      },
      now,
    );
    if (!changed) return undefined;
    const notice = alertNotice(
      rule,
      { rule: rule.name, labels: o.labels, severity: rule.severity },
      "firing",
      o,
      now,
    );
    const incident = await incidentForAlert(
      tx,
      { title: notice.title, severity: rule.severity, data: notice.data },
      now,
    );
    await appendIncidentEvent(
      tx,
      incident.id,
      {
        type: "alert.fired",
        actor: "mainstay",
        data: { title: notice.title, labels: o.labels, ...notice.data },
      },
      now,
    );
    await tx.alertStates.setIncident(rule.name, labels, incident.id);
    await deps.outbox.add(tx, { ...notice, incidentId: incident.id }, now, rule.destinations);
    return incident.id;
  });
}

async function resolve(
  deps: AlertEvaluation,
  rule: AlertRule | undefined,
  state: AlertState,
  o: Observation | undefined,
  now: number,
): Promise<boolean> {
  return deps.store.transaction(async (tx) => {
    const before = await tx.alertStates.resolve(state.rule, state.labels, o?.value ?? null, now);
    if (!before) return false;
    const labels = JSON.parse(state.labels) as Labels;
    const notice = alertNotice(
      rule,
      { rule: state.rule, labels, severity: before.severity as AlertRule["severity"] },
      "resolved",
      o,
      now,
    );
    if (before.incidentId) {
      await appendIncidentEvent(
        tx,
        before.incidentId,
        {
          type: "alert.resolved",
          actor: "mainstay",
          data: { title: notice.title, labels, firedAt: before.since, ...notice.data },
        },
        now,
      );
    }
    await deps.outbox.add(
      tx,
      { ...notice, incidentId: before.incidentId },
      now,
      rule?.destinations,
    );
    return true;
  });
}
