/**
 * `npm run bench -- rollout_detection`: how fast the harm test rolls back a regressed
 * candidate, and how often it rolls back one that is not, in simulated canaries
 * (test/rollouts/statistics/simulate-canary.ts): conversations go to the candidate with
 * probability `share`, are bad with their arm's rate, and the harm test is checked after
 * every conversation, up to 20,000. Seeded, so the figures repeat exactly. Compared with the
 * sample a fixed-horizon z-test needs, and with that z-test re-checked every 50 conversations.
 */
import { fixedHorizonN } from "../src/rollouts/statistics/index.ts";
import { seededRandom } from "../src/shared/index.ts";
import {
  percentile,
  rollbackRate,
  simulateCanaries,
  steadyCanary,
} from "../test/rollouts/statistics/simulate-canary.ts";

const ALPHA = 0.05;
const BASE_RATE = 0.02;
const CAP = 20_000;
// The null rates sit close to alpha (the test spends nearly all of it), so they get the
// most runs: 20,000 puts the standard error near 0.15 points.
const NULL_RUNS = 20_000;
const ALTERNATIVE_RUNS = 10_000;
const PEEK_RUNS = 2000;
const PEEK_EVERY = 50;

export default async function rolloutDetectionBench(): Promise<Record<string, unknown>> {
  const started = performance.now();
  const fixed = fixedHorizonN(BASE_RATE, 2 * BASE_RATE, 0.5, ALPHA, 0.8);
  const nullHalf = rollbacks(1, 0.5, NULL_RUNS, 1);
  const nullTen = rollbacks(1, 0.1, NULL_RUNS, 2);
  const designed = rollbacks(2, 0.5, ALTERNATIVE_RUNS, 3);
  const severe = rollbacks(4, 0.5, ALTERNATIVE_RUNS, 4);
  const peeking = peekingZTest(PEEK_RUNS, 5);
  return {
    fixed_horizon_n: fixed,
    null: { false_rollback: round4(rollbackRate(nullHalf)), runs: NULL_RUNS },
    null_10: { false_rollback: round4(rollbackRate(nullTen)), runs: NULL_RUNS },
    designed: { ...detection(designed), runs: ALTERNATIVE_RUNS },
    severe: {
      ...detection(severe),
      median_share_of_fixed_n: round4(percentile(severe, 0.5) / fixed),
      runs: ALTERNATIVE_RUNS,
    },
    ztest_every_50: { false_rollback: round4(peeking), runs: PEEK_RUNS },
    alpha: ALPHA,
    base_rate: BASE_RATE,
    cap: CAP,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}

/** Conversations at rollback in each run: candidate rate `ratio` x 2%, share `share`. */
function rollbacks(ratio: number, share: number, runs: number, seed: number): number[] {
  process.stderr.write(`rollout_detection: ${runs} runs, ratio ${ratio}, share ${share}\n`);
  const scenario = steadyCanary({ baselineRate: BASE_RATE, ratio, share, cap: CAP, alpha: ALPHA });
  return simulateCanaries(seededRandom(seed), scenario, runs);
}

/**
 * The mistake the sequential test exists to avoid: a one-sided pooled two-proportion
 * z-test at alpha, no difference between arms, looked at every 50 conversations and
 * rolled back at the first look that is "significant". Share of runs rolled back.
 */
function peekingZTest(runs: number, seed: number): number {
  process.stderr.write(`rollout_detection: ${runs} runs, z-test every ${PEEK_EVERY}\n`);
  const random = seededRandom(seed);
  const critical = 1.6448536269514722; // z_{0.95}
  let rolledBack = 0;
  for (let run = 0; run < runs; run++) {
    const arms = { baseline: { n: 0, bad: 0 }, candidate: { n: 0, bad: 0 } };
    for (let n = 1; n <= CAP; n++) {
      const arm = random.next() < 0.5 ? arms.candidate : arms.baseline;
      arm.n++;
      if (random.next() < BASE_RATE) arm.bad++;
      if (n % PEEK_EVERY === 0 && zStatistic(arms.baseline, arms.candidate) > critical) {
        rolledBack++;
        break;
      }
    }
  }
  return rolledBack / runs;
}

function zStatistic(b: { n: number; bad: number }, c: { n: number; bad: number }): number {
  if (b.n === 0 || c.n === 0) return 0;
  const pooled = (b.bad + c.bad) / (b.n + c.n);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / b.n + 1 / c.n));
  return se === 0 ? 0 : (c.bad / c.n - b.bad / b.n) / se;
}

/** Power, and median / p90 of conversations at rollback (null when beyond the cap). */
function detection(results: number[]) {
  const atOrNull = (p: number) => {
    const value = percentile(results, p);
    return Number.isFinite(value) ? value : null;
  };
  return { power: round4(rollbackRate(results)), median: atOrNull(0.5), p90: atOrNull(0.9) };
}

function round4(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
