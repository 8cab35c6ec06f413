import { appendIncidentEvent, type NotificationOutbox, openIncident } from "../monitoring/index.ts";
import type { Repositories } from "../store/index.ts";
import type { ControlEvent } from "./rollout-service.ts";

/**
 * What the control plane's changes mean for incidents, in the change's own transaction.
 * An automatic rollback opens an incident (one per rollout) and notifies every alert
 * destination; every other decision, kill and unkill is added to the timeline of the
 * incident that is open, if any, so its timeline tells what was done about it.
 */
export async function recordOnIncident(
  tx: Repositories,
  event: ControlEvent,
  now: number,
  outbox: NotificationOutbox,
): Promise<void> {
  if (event.kind === "rollout" && event.action === "rollback") {
    const { rollout, reason } = event;
    const title = `Rollout of ${rollout.agentId}@${rollout.candidate} rolled back`;
    const data = {
      rolloutId: rollout.id,
      agent: rollout.agentId,
      baseline: rollout.baseline,
      candidate: rollout.candidate,
      reason,
    };
    const { incident } = await openIncident(
      tx,
      { title, severity: "critical", source: "rollout", key: `rollout:${rollout.id}`, data },
      now,
    );
    await appendIncidentEvent(
      tx,
      incident.id,
      { type: "rollout.rollback", actor: event.actor, data: { ...data, evidence: event.evidence } },
      now,
    );
    await outbox.add(
      tx,
      {
        type: "rollout.rolled_back",
        severity: "critical",
        title,
        text: `${reason}. New conversations and live candidate conversations are back on ${rollout.baseline}.`,
        labels: { agent: rollout.agentId, rollout: rollout.id },
        incidentId: incident.id,
        at: now,
        data,
      },
      now,
    );
    return;
  }
  const open = await tx.incidents.latestUnresolved();
  if (!open) return;
  const type = event.kind === "rollout" ? `rollout.${event.action}` : `agent.${event.kind}`;
  const data =
    event.kind === "rollout"
      ? { rolloutId: event.rollout.id, agent: event.rollout.agentId, reason: event.reason }
      : { agent: event.agentId, reason: event.reason };
  await appendIncidentEvent(tx, open.id, { type, actor: event.actor, data }, now);
}
