import { createHash } from "node:crypto";
import type { AgentAssignment, AssignAgent } from "../conversations/index.ts";
import type { LiveRollout } from "./control-state.ts";
import { isShadowStep } from "./rollout-spec.ts";

/**
 * Where a conversation falls in [0, 1) for a rollout: a hash of both ids, so the same
 * conversation always lands on the same side of any share, and a larger share only adds
 * conversations (5% → 25% keeps every 5% one on the candidate).
 */
export function canaryPosition(rolloutId: string, conversationId: string): number {
  const digest = createHash("sha256").update(`${rolloutId}:${conversationId}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

/** The candidate's share of new conversations at a rollout's current step. */
export function currentShare(rollout: LiveRollout): number {
  const step = rollout.spec.steps[rollout.record.step]!;
  return isShadowStep(step) ? 0 : step.canary;
}

/**
 * The version a new conversation starts on. Without a live rollout it is the active one; in a
 * shadow step every conversation starts on the baseline (the candidate answers alongside);
 * in a canary step the conversation's hash position decides.
 */
export function assignmentFor(
  active: { id: string; version: string },
  rollout: LiveRollout | undefined,
): AssignAgent {
  if (!rollout) return () => active;
  const { record } = rollout;
  const step = rollout.spec.steps[record.step]!;
  if (isShadowStep(step)) {
    return () => ({
      id: record.agentId,
      version: record.baseline,
      rollout: { id: record.id, arm: "baseline", share: 0.5 },
    });
  }
  const share = step.canary;
  return (conversationId): AgentAssignment => {
    const candidate = canaryPosition(record.id, conversationId) < share;
    return {
      id: record.agentId,
      version: candidate ? record.candidate : record.baseline,
      rollout: { id: record.id, arm: candidate ? "candidate" : "baseline", share },
    };
  };
}
