import { getAgentVersion } from "../agents/index.ts";
import { appendAudit } from "../audit/index.ts";
import { deliverJobPayload, jobReads } from "../conversations/index.ts";
import { type JobHandler, readJobPayload } from "../jobs/index.ts";
import type { Clock } from "../shared/clock.ts";
import { MainstayError } from "../shared/errors.ts";
import type { AgentKill, KillFallback, Repositories, Store } from "../store/index.ts";
import { type ControlState, notifyControl } from "./control-state.ts";

/** See `RolloutServiceOptions.onControlEvent`. */
type ControlEventHook = (
  tx: Repositories,
  event: { kind: "kill" | "unkill"; agentId: string; reason: string; actor: string },
  now: number,
) => Promise<void>;

export interface KillRequest {
  agentId: string;
  fallback: KillFallback;
  reason: string;
  actor: string;
}

/**
 * Stop an agent answering anywhere: stored with an audit entry and announced to every
 * instance in one transaction. Its conversations go to the fallback from their next turn,
 * and replies it queued but not yet sent are not delivered.
 */
export async function killAgent(
  store: Store,
  control: ControlState,
  request: KillRequest,
  now: number,
  onEvent?: ControlEventHook,
): Promise<AgentKill> {
  if (request.fallback.type === "version") {
    await getAgentVersion(store, request.agentId, request.fallback.version);
  }
  const kill: AgentKill = { ...request, killedAt: now };
  await store.transaction(async (tx) => {
    await tx.agentKills.kill(kill);
    await appendAudit(
      tx,
      {
        actor: request.actor,
        action: "agent.kill",
        target: request.agentId,
        data: { fallback: request.fallback, reason: request.reason },
      },
      now,
    );
    const { agentId, reason, actor } = request;
    await onEvent?.(tx, { kind: "kill", agentId, reason, actor }, now);
    await notifyControl(tx.db);
  });
  await control.refresh();
  return kill;
}

export async function unkillAgent(
  store: Store,
  control: ControlState,
  request: { agentId: string; actor: string; reason?: string },
  now: number,
  onEvent?: ControlEventHook,
): Promise<void> {
  await store.transaction(async (tx) => {
    if (!(await tx.agentKills.unkill(request.agentId))) {
      throw new MainstayError("MS_NOT_FOUND", `agent ${request.agentId} is not killed`, 404);
    }
    await appendAudit(
      tx,
      { actor: request.actor, action: "agent.unkill", target: request.agentId },
      now,
    );
    const { agentId, actor } = request;
    await onEvent?.(tx, { kind: "unkill", agentId, reason: request.reason ?? "", actor }, now);
    await notifyControl(tx.db);
  });
  await control.refresh();
}

/**
 * Wraps the `deliver` job: a reply written by an agent that has been killed since is not
 * sent. It is marked failed with `MS_AGENT_KILLED` and an event, like any refused message.
 */
export function killGate(
  inner: JobHandler,
  options: { store: Store; control: ControlState; clock: Clock },
): JobHandler {
  const { store, control, clock } = options;
  return {
    ...inner,
    async run(job) {
      const { messageId } = readJobPayload(job, deliverJobPayload);
      const message = await jobReads(job, store).message(messageId);
      if (message?.author !== "agent" || message.status !== "queued") return inner.run(job);
      const kill = control.killOf(message.agentId);
      // A fallback version answering for the killed agent is not stopped.
      if (
        !kill ||
        (kill.fallback.type === "version" && kill.fallback.version === message.agentVersion)
      ) {
        return inner.run(job);
      }
      const now = clock.now();
      const error = `MS_AGENT_KILLED: agent ${message.agentId} was killed before this reply was sent`;
      await store.transaction(async (tx) => {
        await tx.messages.advanceStatus(message.id, "failed", now, { error });
        await tx.events.append(
          message.conversationId,
          "message.refused",
          { messageId: message.id, code: "MS_AGENT_KILLED", reason: kill.reason },
          now,
        );
      });
    },
  };
}
