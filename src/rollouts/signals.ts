import { VIOLATION_ACTIONS } from "../conversations/index.ts";
import type { AgentTurnRecord, ConversationOutcome, OutcomeEventRecord } from "../store/index.ts";

/** One conversation of a rollout on one arm, and when (if ever) each signal turned bad. */
export interface ArmConversation {
  conversationId: string;
  arm: "baseline" | "candidate";
  shadow: boolean;
  share: number;
  createdAt: number;
  /** The time each rate metric first went bad in it. */
  badAt: Map<string, number>;
}

export interface RolloutFacts {
  conversations: ArmConversation[];
  /** Latency of every candidate turn, and the candidate's total cost. */
  candidateLatencies: number[];
  candidateCost: number;
}

/**
 * Fold a rollout's stored outcomes, turns and feedback into per-conversation signals. Only
 * conversations with at least one answered turn count: one that never got an answer says
 * nothing about the version.
 */
export function rolloutFacts(
  outcomes: ConversationOutcome[],
  turns: AgentTurnRecord[],
  events: OutcomeEventRecord[],
): RolloutFacts {
  const byKey = new Map<string, ArmConversation>();
  const key = (conversationId: string, shadow: boolean) => `${conversationId}:${shadow}`;
  for (const o of outcomes) {
    if (o.turns === 0 || o.arm === null) continue;
    byKey.set(key(o.conversationId, o.shadow), {
      conversationId: o.conversationId,
      arm: o.arm,
      shadow: o.shadow,
      share: o.share ?? 0.5,
      createdAt: o.createdAt,
      badAt: new Map(),
    });
  }
  const mark = (c: ArmConversation | undefined, metric: string, at: number) => {
    if (c && !c.badAt.has(metric)) c.badAt.set(metric, at);
  };
  const candidateLatencies: number[] = [];
  let candidateCost = 0;
  for (const t of turns) {
    const c = byKey.get(key(t.conversationId, t.shadow));
    if (!c) continue;
    if (c.arm === "candidate") {
      candidateLatencies.push(t.latencyMs);
      candidateCost += t.cost ?? 0;
    }
    if (VIOLATION_ACTIONS.has(t.action) && t.findings.length > 0) {
      mark(c, "violation", t.createdAt);
      for (const type of t.findings) mark(c, `violation:${type}`, t.createdAt);
    }
    if (t.handoff) mark(c, "handoff", t.createdAt);
    if (t.error || t.fallback) mark(c, "error", t.createdAt);
  }
  // Feedback is about what the customer saw: the sent arm, never a shadow row.
  for (const e of events) {
    if (!e.conversationId) continue;
    const c = byKey.get(key(e.conversationId, false));
    const negative =
      (e.type === "csat" && e.value !== null && e.value <= 2) ||
      (e.type === "thumbs" && e.value === 0);
    if (negative) mark(c, "negative_feedback", e.createdAt);
    mark(c, `event:${e.type}`, e.createdAt);
  }
  return { conversations: [...byKey.values()], candidateLatencies, candidateCost };
}

/** The nearest-rank 95th percentile, or null without data. */
export function p95(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(0.95 * sorted.length) - 1]!;
}
