import { VIOLATION_ACTIONS } from "../conversations/index.ts";
import {
  type AgentTurnRecord,
  type ArmShareCount,
  bucketUpperMs,
  COST_UNIT,
  type ConversationOutcome,
  costUnits,
  eventMetrics,
  latencyBucket,
  type OutcomeEventRecord,
  QUALITY_METRIC,
  type RolloutEvidence,
  type RolloutMark,
  turnMetrics,
} from "../store/index.ts";

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

/**
 * What a rollout is decided on: per-arm counts, kept up to date by the store with every
 * turn and feedback event (`store.rolloutEvidence.read`), so a check costs the same at any
 * size of the rollout.
 */
export type RolloutFacts = RolloutEvidence;

/** A sampled conversation the live-quality judge scored bad, and when it was judged. */
export interface JudgedBad {
  conversationId: string;
  judgedAt: number;
}

/**
 * Fold a rollout's stored outcomes, turns, feedback and bad quality scores into
 * per-conversation signals. Only conversations with at least one answered turn count: one
 * that never got an answer says nothing about the version.
 */
function armConversations(
  outcomes: ConversationOutcome[],
  turns: AgentTurnRecord[],
  events: OutcomeEventRecord[],
  judgedBad: readonly JudgedBad[],
) {
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
  const candidateTurns: AgentTurnRecord[] = [];
  for (const t of turns) {
    const c = byKey.get(key(t.conversationId, t.shadow));
    if (!c) continue;
    if (c.arm === "candidate") candidateTurns.push(t);
    const violations = VIOLATION_ACTIONS.has(t.action) ? t.findings : [];
    for (const metric of turnMetrics(t, violations)) mark(c, metric, t.createdAt);
  }
  // Feedback is about what the customer saw: the sent arm, never a shadow row.
  for (const e of events) {
    if (!e.conversationId) continue;
    const c = byKey.get(key(e.conversationId, false));
    for (const metric of eventMetrics(e)) mark(c, metric, e.createdAt);
  }
  for (const j of judgedBad)
    mark(byKey.get(key(j.conversationId, false)), QUALITY_METRIC, j.judgedAt);
  return { conversations: [...byKey.values()], candidateTurns };
}

/**
 * The evidence recomputed from a rollout's stored rows (bad quality scores included), for a
 * step started at `stepStartedAt`: what the store's counts must equal
 * (test/rollouts/rollout-evidence).
 */
export function rolloutFacts(
  outcomes: ConversationOutcome[],
  turns: AgentTurnRecord[],
  events: OutcomeEventRecord[],
  stepStartedAt = 0,
  judgedBad: readonly JudgedBad[] = [],
): RolloutFacts {
  const { conversations, candidateTurns } = armConversations(outcomes, turns, events, judgedBad);
  const arms = new Counts();
  const bad = new Map<string, Counts>();
  let stepCandidates = 0;
  for (const c of conversations) {
    arms.add(c.arm, c.share);
    if (c.arm === "candidate" && c.createdAt >= stepStartedAt) stepCandidates++;
    for (const metric of c.badAt.keys()) {
      const counts = bad.get(metric) ?? new Counts();
      counts.add(c.arm, c.share);
      bad.set(metric, counts);
    }
  }
  const candidateLatency = new Map<number, number>();
  let cost = 0;
  for (const t of candidateTurns) {
    const bucket = latencyBucket(t.latencyMs);
    candidateLatency.set(bucket, (candidateLatency.get(bucket) ?? 0) + 1);
    cost += costUnits(t.cost);
  }
  return {
    arms: arms.list(),
    bad: new Map([...bad].map(([metric, counts]) => [metric, counts.list()])),
    stepCandidates,
    candidateTurns: candidateTurns.length,
    candidateCost: cost * COST_UNIT,
    candidateLatency,
  };
}

/** Conversations per (arm, share), listed as the store lists them. */
class Counts {
  private readonly counts = new Map<string, ArmShareCount>();

  add(arm: ArmShareCount["arm"], share: number): void {
    const key = `${arm}:${share}`;
    const count = this.counts.get(key) ?? { arm, share, conversations: 0 };
    count.conversations++;
    this.counts.set(key, count);
  }

  list(): ArmShareCount[] {
    return [...this.counts.values()].sort(
      (a, b) => a.arm.localeCompare(b.arm) || a.share - b.share,
    );
  }
}

/** The rollout's conversations with their signals, from the store's marks (for charts). */
export function conversationsFromMarks(marks: Iterable<RolloutMark>): ArmConversation[] {
  const byKey = new Map<string, ArmConversation>();
  for (const m of marks) {
    const key = `${m.conversationId}:${m.shadow}`;
    let c = byKey.get(key);
    if (!c) {
      const { conversationId, arm, shadow, share } = m;
      c = { conversationId, arm, shadow, share, createdAt: 0, badAt: new Map() };
      byKey.set(key, c);
    }
    if (m.metric === "") c.createdAt = m.at;
    else c.badAt.set(m.metric, m.at);
  }
  return [...byKey.values()];
}

/**
 * The nearest-rank 95th percentile of a latency histogram (turns per bucket), or null
 * without data: the upper end of the bucket holding it, at most 1.6% above the exact value.
 */
export function p95(histogram: ReadonlyMap<number, number>): number | null {
  const buckets = [...histogram].sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((n, [, count]) => n + count, 0);
  if (total === 0) return null;
  const rank = Math.ceil(0.95 * total);
  let seen = 0;
  for (const [bucket, count] of buckets) {
    seen += count;
    if (seen >= rank) return bucketUpperMs(bucket);
  }
  return bucketUpperMs(buckets.at(-1)![0]);
}
