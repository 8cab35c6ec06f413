import type { RolloutSpec } from "./rollout-spec.ts";
import type { ArmConversation } from "./signals.ts";
import { HarmMonitor } from "./statistics/index.ts";

/** The evidence of one rate gate after some number of the rollout's conversations. */
export interface EvidencePoint {
  /** Conversations started so far, both arms. */
  conversations: number;
  baseline: { n: number; bad: number };
  candidate: { n: number; bad: number };
  /** The harm test's log e-value then (rolls back at log(1/alpha)). */
  logE: number;
}

/**
 * How each rate gate's evidence grew, conversation by conversation, for charts: replays
 * the rollout's conversations in the order they started and turned bad, through the same
 * harm test the decision uses (alpha split across gates the same way), and keeps at most
 * `maxPoints` evenly spaced points (always the last).
 */
export function evidencePaths(
  spec: RolloutSpec,
  facts: { conversations: ArmConversation[] },
  maxPoints = 120,
): Record<string, EvidencePoint[]> {
  const alpha = spec.alpha / Math.max(1, spec.gates.length);
  const paths: Record<string, EvidencePoint[]> = {};
  for (const gate of spec.gates) {
    if ("minTurns" in gate) continue;
    type Step = { at: number; order: number; candidate: boolean; share: number };
    const steps: Step[] = [];
    for (const c of facts.conversations) {
      const candidate = c.arm === "candidate";
      steps.push({ at: c.createdAt, order: 0, candidate, share: c.share });
      const bad = c.badAt.get(gate.metric);
      if (bad !== undefined) steps.push({ at: bad, order: 1, candidate, share: c.share });
    }
    steps.sort((a, b) => a.at - b.at || a.order - b.order);
    const monitor = new HarmMonitor({ alpha });
    const baseline = { n: 0, bad: 0 };
    const candidateArm = { n: 0, bad: 0 };
    const all: EvidencePoint[] = [];
    for (const step of steps) {
      const arm = step.candidate ? candidateArm : baseline;
      if (step.order === 0) arm.n++;
      else {
        arm.bad++;
        monitor.observe({ inCandidate: step.candidate, share: step.share });
      }
      all.push({
        conversations: baseline.n + candidateArm.n,
        baseline: { ...baseline },
        candidate: { ...candidateArm },
        logE: monitor.evidence.logE,
      });
    }
    paths[gate.metric] = thin(all, maxPoints);
  }
  return paths;
}

function thin<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  const every = points.length / (max - 1);
  const kept: T[] = [];
  for (let i = 0; i < max - 1; i++) kept.push(points[Math.floor(i * every)]!);
  kept.push(points.at(-1)!);
  return kept;
}
