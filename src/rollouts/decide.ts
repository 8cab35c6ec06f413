import type { ArmShareCount, RolloutRecord } from "../store/index.ts";
import { isShadowStep, type RateGate, type RolloutSpec, type ValueGate } from "./rollout-spec.ts";
import { p95, type RolloutFacts } from "./signals.ts";
import {
  type HarmEvidence,
  HarmMonitor,
  notWorseEvidence,
  rateBounds,
} from "./statistics/index.ts";

export type DecisionAction = "rollback" | "promote" | "hold";

/** What the evidence says now, and everything it was decided on (plain JSON). */
export interface Decision {
  action: DecisionAction;
  reason: string;
  evidence: {
    step: number;
    /** Per-arm conversations with at least one answered turn, whole rollout. */
    conversations: { baseline: number; candidate: number };
    /** Candidate conversations started in the current step, and what the step needs. */
    stepConversations: number;
    stepNeeds: number;
    stepMinutes: number;
    gates: GateEvidence[];
  };
}

export type GateEvidence =
  | {
      metric: string;
      kind: "rate";
      baseline: { n: number; bad: number };
      candidate: { n: number; bad: number };
      /** The harm test at this gate's share of alpha. */
      harm: HarmEvidence;
      notWorse?: ReturnType<typeof notWorseEvidence>;
      /** The candidate's always-valid rate bounds, when the gate has a `max`. */
      limit?: { max: number; lower: number; upper: number; exceeded: boolean };
      verdict: "harm" | "over_limit" | "not_worse" | "undecided";
    }
  | {
      metric: string;
      kind: "value";
      value: number | null;
      max: number;
      turns: number;
      minTurns: number;
      verdict: "over_limit" | "within" | "undecided";
    };

/**
 * The decision rule, a pure function of the rollout and its facts so every decision can be
 * replayed from its evidence. Harm on any gate (at alpha split evenly across the gates, so
 * the chance of any false rollback stays at most alpha) or a guard limit crossed rolls back
 * at once. A step is promoted only when its minimum sample and time are met and every gate
 * with a margin shows the candidate not worse by that margin; "no harm yet" is not enough.
 */
export function decide(
  record: RolloutRecord,
  spec: RolloutSpec,
  facts: RolloutFacts,
  now: number,
): Decision {
  const step = spec.steps[record.step]!;
  const alpha = spec.alpha / Math.max(1, spec.gates.length);
  const conversations = armTotals(facts.arms);
  const stepConversations = facts.stepCandidates;
  const stepNeeds = isShadowStep(step)
    ? step.shadow
    : (step.minConversations ?? spec.minConversations);
  const stepMinutes = (now - record.stepStartedAt) / 60_000;
  const gates = spec.gates.map((gate) =>
    "minTurns" in gate ? valueGate(gate, facts) : rateGate(gate, facts, alpha),
  );
  const evidence = {
    step: record.step,
    conversations: { baseline: conversations.baseline.n, candidate: conversations.candidate.n },
    stepConversations,
    stepNeeds,
    stepMinutes: Math.round(stepMinutes * 100) / 100,
    gates,
  };
  const failed = gates.find((g) => g.verdict === "harm" || g.verdict === "over_limit");
  if (failed) return { action: "rollback", reason: failureReason(failed), evidence };
  const missing: string[] = [];
  if (stepConversations < stepNeeds) {
    missing.push(`${stepConversations}/${stepNeeds} candidate conversations in this step`);
  }
  const minMinutes = isShadowStep(step) ? 0 : step.minMinutes;
  if (stepMinutes < minMinutes) missing.push(`${evidence.stepMinutes}/${minMinutes} minutes`);
  for (const g of gates) {
    if (g.kind === "rate" && g.notWorse && !g.notWorse.shown) {
      missing.push(`${g.metric} not yet shown within +${g.notWorse.margin} of the baseline`);
    }
  }
  if (missing.length > 0)
    return { action: "hold", reason: `waiting: ${missing.join("; ")}`, evidence };
  return { action: "promote", reason: "step requirements met", evidence };
}

/** Conversations per arm (and bad ones, from a signal's counts). */
function armTotals(arms: ArmShareCount[], bad: ArmShareCount[] = []) {
  const totals = { baseline: { n: 0, bad: 0 }, candidate: { n: 0, bad: 0 } };
  for (const a of arms) totals[a.arm].n += a.conversations;
  for (const b of bad) totals[b.arm].bad += b.conversations;
  return totals;
}

function rateGate(gate: RateGate, facts: RolloutFacts, alpha: number): GateEvidence {
  const badCounts = facts.bad.get(gate.metric) ?? [];
  const { baseline, candidate } = armTotals(facts.arms, badCounts);
  // The e-value is a product over bad conversations, so their order does not change it:
  // it is read from the counts per share at every check (after every turn), and a check
  // that finds it at the threshold rolls back (Ville's inequality holds at any stopping time).
  const monitor = new HarmMonitor({ alpha });
  const shares = [...new Set(badCounts.map((b) => b.share))].sort((a, b) => a - b);
  for (const share of shares) {
    const inArm = (arm: ArmShareCount["arm"]) =>
      badCounts.find((b) => b.share === share && b.arm === arm)?.conversations ?? 0;
    monitor.observeCounts({
      share,
      badBaseline: inArm("baseline"),
      badCandidate: inArm("candidate"),
    });
  }
  const evidence = monitor.evidence;
  const harm = { ...evidence, harmful: evidence.logE >= evidence.threshold };
  const notWorse =
    gate.margin === undefined
      ? undefined
      : notWorseEvidence(baseline, candidate, gate.margin, alpha);
  let limit: { max: number; lower: number; upper: number; exceeded: boolean } | undefined;
  if (gate.max !== undefined) {
    const bounds = rateBounds(candidate.bad, candidate.n, alpha);
    limit = { max: gate.max, ...bounds, exceeded: bounds.lower > gate.max };
  }
  const verdict = harm.harmful
    ? "harm"
    : limit?.exceeded
      ? "over_limit"
      : notWorse?.shown
        ? "not_worse"
        : "undecided";
  return { metric: gate.metric, kind: "rate", baseline, candidate, harm, notWorse, limit, verdict };
}

function valueGate(gate: ValueGate, facts: RolloutFacts): GateEvidence {
  const turns = facts.candidateTurns;
  const candidates = armTotals(facts.arms).candidate.n;
  const value =
    gate.metric === "latency_p95_ms"
      ? p95(facts.candidateLatency)
      : candidates === 0
        ? null
        : facts.candidateCost / candidates;
  const verdict =
    turns < gate.minTurns || value === null
      ? "undecided"
      : value > gate.max
        ? "over_limit"
        : "within";
  return {
    metric: gate.metric,
    kind: "value",
    value,
    max: gate.max,
    turns,
    minTurns: gate.minTurns,
    verdict,
  };
}

function failureReason(gate: GateEvidence): string {
  if (gate.kind === "value") {
    return `${gate.metric} ${round(gate.value ?? 0)} is above the limit ${gate.max}`;
  }
  if (gate.verdict === "harm") {
    const { badBaseline, badCandidate, logE, threshold } = gate.harm;
    return (
      `${gate.metric}: candidate shown worse than baseline (bad conversations ` +
      `${badCandidate} candidate / ${badBaseline} baseline, e-value ${round(Math.exp(logE))} ` +
      `≥ ${round(Math.exp(threshold))})`
    );
  }
  return `${gate.metric}: candidate rate shown above ${gate.limit?.max} (lower bound ${round(gate.limit?.lower ?? 0)})`;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
