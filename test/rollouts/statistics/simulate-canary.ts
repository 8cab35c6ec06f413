/**
 * Simulated canaries for the statistics tests and `bench/rollout-detection.ts`. Each
 * conversation goes to the candidate with the share in force and is bad with its arm's
 * rate; the harm test is checked after every conversation. A good conversation leaves the
 * evidence as it was, so the simulation jumps from one possibly-bad conversation to the next
 * (geometric gaps at `peakRate`, then kept with probability rate / peakRate, which is exact
 * for any rates below the peak): the same runs at a fraction of the cost.
 */
import { HarmMonitor } from "../../../src/rollouts/statistics/index.ts";
import type { Random } from "../../../src/shared/index.ts";

export interface CanaryScenario {
  /** Baseline bad rate of the n-th conversation (1-based): constant, or drifting. */
  baselineRate: (n: number) => number;
  /** Candidate bad rate as a multiple of the baseline's (1: no difference). */
  ratio: number;
  /** Candidate share when the n-th conversation is assigned. */
  share: (n: number) => number;
  /** At least the chance that any one conversation is bad, in either arm. */
  peakRate: number;
  /** Conversations per run before giving up. */
  cap: number;
  alpha: number;
}

/** Conversations until the harm test rolled back; Infinity if the cap came first. */
export function conversationsToRollback(random: Random, scenario: CanaryScenario): number {
  const monitor = new HarmMonitor({ alpha: scenario.alpha });
  const logMiss = Math.log1p(-scenario.peakRate);
  let n = 0;
  for (;;) {
    n += 1 + Math.floor(Math.log(1 - random.next()) / logMiss);
    if (n > scenario.cap) return Number.POSITIVE_INFINITY;
    const share = scenario.share(n);
    const baselineRate = scenario.baselineRate(n);
    const candidateRate = baselineRate * scenario.ratio;
    const badRate = share * candidateRate + (1 - share) * baselineRate;
    if (random.next() * scenario.peakRate >= badRate) continue;
    const inCandidate = random.next() * badRate < share * candidateRate;
    if (monitor.observe({ inCandidate, share }).harmful) return n;
  }
}

/** Constant base rate and share: every conversation is bad with the same chance. */
export function steadyCanary(options: {
  baselineRate: number;
  ratio: number;
  share: number;
  cap: number;
  alpha: number;
}): CanaryScenario {
  const { baselineRate, ratio, share } = options;
  return {
    ...options,
    baselineRate: () => baselineRate,
    share: () => share,
    peakRate: baselineRate * (share * ratio + 1 - share),
  };
}

/** `runs` independent canaries from one seeded source. */
export function simulateCanaries(random: Random, scenario: CanaryScenario, runs: number): number[] {
  return Array.from({ length: runs }, () => conversationsToRollback(random, scenario));
}

/** Share of runs that rolled back. */
export function rollbackRate(results: number[]): number {
  return results.filter(Number.isFinite).length / results.length;
}

/** The value below which a share `p` of the results fall (Infinity beyond the cap). */
export function percentile(results: number[], p: number): number {
  const sorted = [...results].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}
