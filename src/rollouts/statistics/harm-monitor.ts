import { MainstayError } from "../../shared/index.ts";
import { requireCounts, requireProbability } from "./require-probability.ts";
import { logSumExp } from "./special-functions.ts";

/**
 * The harm test, after Lindon & Malek (2022), "Anytime-valid inference for multinomial
 * count data" (NeurIPS): condition on the bad conversations and ask only which arm each
 * one fell in. A bad conversation assigned with candidate share s is in the candidate arm
 * with probability s when both arms have the same bad rate, and s·r / (s·r + 1 - s) when
 * the candidate's rate is r times the baseline's. The product over bad conversations of
 * these likelihood ratios, mixed over a prior on r > 1, is a nonnegative martingale with
 * mean 1 under equal rates (and a supermartingale when the candidate is better), whatever
 * the base rate does over time and however the share changes between steps. By Ville's
 * inequality it reaches 1/alpha with probability at most alpha, so stopping there is a
 * valid rollback rule however often it is checked.
 */

/** One bad conversation: the arm it was assigned to and the candidate share at assignment. */
export interface BadConversation {
  inCandidate: boolean;
  /** Candidate share in force when the conversation was assigned, 0..1. */
  share: number;
}

/** Bad conversations assigned at one share, counted per arm. */
export interface BadCounts {
  share: number;
  badBaseline: number;
  badCandidate: number;
}

/** Plain JSON, stored with a rollout decision and shown by `rollout status`. */
export interface HarmEvidence {
  badBaseline: number;
  badCandidate: number;
  /** log of the mixture e-value */
  logE: number;
  /** log(1/alpha) */
  threshold: number;
  /** True once logE has reached the threshold; it stays true (the test stops there). */
  harmful: boolean;
}

/**
 * The prior on the rate ratio r: 24 values equally spaced in log r from 1.3 to 8, equal
 * weights. Chosen by simulation (docs/rollout-statistics.md): it detects a doubling at a
 * 2% base rate before a fixed-horizon z-test could, a quadrupling in well under a quarter of
 * that sample, and still catches a 1.5x regression in most runs.
 */
export const HARM_RATE_RATIOS: readonly number[] = Array.from({ length: 24 }, (_, k) =>
  Math.exp(Math.log(1.3) + (k * (Math.log(8) - Math.log(1.3))) / 23),
);
const LOG_RATIOS = HARM_RATE_RATIOS.map(Math.log);
const LOG_WEIGHT = -Math.log(HARM_RATE_RATIOS.length);

/** Incremental harm test: O(prior grid) work per bad conversation. */
export class HarmMonitor {
  readonly #threshold: number;
  /** log likelihood ratio of each prior rate ratio against equal rates. */
  readonly #logRatios = new Float64Array(HARM_RATE_RATIOS.length);
  #badBaseline = 0;
  #badCandidate = 0;
  #harmful = false;

  constructor(options: { alpha: number }) {
    requireProbability("alpha", options.alpha, true);
    this.#threshold = Math.log(1 / options.alpha);
  }

  /** Add one bad conversation. Good conversations carry no evidence here and need no call. */
  observe(event: BadConversation): HarmEvidence {
    return this.observeCounts({
      share: event.share,
      badBaseline: event.inCandidate ? 0 : 1,
      badCandidate: event.inCandidate ? 1 : 0,
    });
  }

  /**
   * Add bad conversations counted by arm for one share, e.g. from a grouped query. The
   * order of bad conversations does not change the product, so this equals observing them
   * one by one, except that `harmful` is only checked after the whole batch.
   */
  observeCounts(counts: BadCounts): HarmEvidence {
    const { share, badBaseline, badCandidate } = counts;
    requireProbability("share", share);
    requireCounts("bad conversation", badBaseline + badCandidate, badCandidate);
    if ((share === 0 && badCandidate > 0) || (share === 1 && badBaseline > 0)) {
      throw new MainstayError(
        "MS_STATISTICS_INVALID",
        `a bad conversation cannot be in an arm that had no traffic (share ${share})`,
      );
    }
    const bad = badBaseline + badCandidate;
    for (let k = 0; k < LOG_RATIOS.length; k++) {
      const r = HARM_RATE_RATIOS[k]!;
      this.#logRatios[k]! += badCandidate * LOG_RATIOS[k]! - bad * Math.log1p(share * (r - 1));
    }
    this.#badBaseline += badBaseline;
    this.#badCandidate += badCandidate;
    const evidence = this.evidence;
    this.#harmful = evidence.harmful;
    return evidence;
  }

  get evidence(): HarmEvidence {
    const logE = logSumExp(this.#logRatios) + LOG_WEIGHT;
    return {
      badBaseline: this.#badBaseline,
      badCandidate: this.#badCandidate,
      logE,
      threshold: this.#threshold,
      harmful: this.#harmful || logE >= this.#threshold,
    };
  }
}

/** The harm test over bad conversations in the order they completed. */
export function harmEvidence(events: Iterable<BadConversation>, alpha: number): HarmEvidence {
  const monitor = new HarmMonitor({ alpha });
  for (const event of events) monitor.observe(event);
  return monitor.evidence;
}
