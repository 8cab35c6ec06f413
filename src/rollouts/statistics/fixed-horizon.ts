import { MainstayError } from "../../shared/index.ts";
import { requireProbability } from "./require-probability.ts";
import { normalQuantile } from "./special-functions.ts";

/**
 * Total conversations a one-sided two-proportion z-test needs, looked at once at the end,
 * to detect a rise of the bad rate from `p0` (baseline) to `p1` (candidate) with the given
 * power, when a share `share` of conversations goes to the candidate. The test statistic
 * uses the pooled variance under H0; the power term uses each arm's own variance:
 *
 *   N = ((z_{1-alpha} √(p̄(1-p̄)(1/s + 1/(1-s))) + z_{power} √(p0(1-p0)/(1-s) + p1(1-p1)/s)) / (p1 - p0))²
 *
 * with p̄ = (1-s)·p0 + s·p1, rounded up. The sequential tests are compared against it.
 */
export function fixedHorizonN(
  p0: number,
  p1: number,
  share: number,
  alpha: number,
  power: number,
): number {
  requireProbability("p0", p0, true);
  requireProbability("p1", p1, true);
  requireProbability("share", share, true);
  requireProbability("alpha", alpha, true);
  requireProbability("power", power, true);
  if (p1 <= p0 || power <= alpha) {
    throw new MainstayError(
      "MS_STATISTICS_INVALID",
      `a one-sided test needs p1 > p0 and power > alpha, got p0=${p0} p1=${p1} alpha=${alpha} power=${power}`,
    );
  }
  const pooled = (1 - share) * p0 + share * p1;
  const nullSd = Math.sqrt(pooled * (1 - pooled) * (1 / share + 1 / (1 - share)));
  const alternativeSd = Math.sqrt((p0 * (1 - p0)) / (1 - share) + (p1 * (1 - p1)) / share);
  const root =
    (normalQuantile(1 - alpha) * nullSd + normalQuantile(power) * alternativeSd) / (p1 - p0);
  return Math.ceil(root * root);
}
