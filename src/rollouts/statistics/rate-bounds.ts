import { requireCounts, requireProbability } from "./require-probability.ts";
import { bernoulliLogLikelihood, logBeta } from "./special-functions.ts";

/**
 * Always-valid bounds on one arm's bad rate (Robbins' method of mixtures). For a candidate
 * rate p, the beta-binomial mixture ∫ L(q) Beta(q; a, b) dq divided by the likelihood L(p)
 * is a nonnegative martingale with mean 1 when p is the true rate, so by Ville's inequality
 * it exceeds 1/alpha at any time with probability at most alpha. The rates it has not
 * exceeded form an interval (log L is concave) that contains the true rate at every sample
 * size at once, with probability 1 - alpha.
 */

/** Jeffreys' Beta(1/2, 1/2): no preference among rates, and the best worst-case regret. */
export const RATE_PRIOR = { a: 0.5, b: 0.5 } as const;

/** log of the beta-binomial mixture likelihood of `bad` bad out of `n` (the sequence, not the count). */
export function logMixtureLikelihood(n: number, bad: number): number {
  return logBeta(RATE_PRIOR.a + bad, RATE_PRIOR.b + n - bad) - logBeta(RATE_PRIOR.a, RATE_PRIOR.b);
}

/** Lower and upper bound on a bad rate after `bad` bad conversations out of `n`, valid at any n. */
export function rateBounds(
  bad: number,
  n: number,
  alpha: number,
): { lower: number; upper: number } {
  requireCounts("rate", n, bad);
  requireProbability("alpha", alpha, true);
  const threshold = Math.log(1 / alpha);
  const logMixture = logMixtureLikelihood(n, bad);
  // Convex in p with its minimum (<= 0 < threshold) at the observed rate.
  const logMartingale = (p: number) => logMixture - bernoulliLogLikelihood(p, n, bad);
  const observed = n === 0 ? 0.5 : bad / n;
  return {
    lower: logMartingale(0) < threshold ? 0 : crossing(logMartingale, threshold, 0, observed),
    upper: logMartingale(1) < threshold ? 1 : crossing(logMartingale, threshold, 1, observed),
  };
}

/**
 * Bisection for where `f` falls below `level` between `outside` (f >= level) and `inside`
 * (f < level). Returns the outside end, so a bound errs on the wide side.
 */
export function crossing(
  f: (x: number) => number,
  level: number,
  outside: number,
  inside: number,
): number {
  let out = outside;
  let ins = inside;
  for (let i = 0; i < 60 && Math.abs(out - ins) > 1e-12; i++) {
    const mid = (out + ins) / 2;
    if (f(mid) >= level) out = mid;
    else ins = mid;
  }
  return out;
}
