/**
 * pass^k: the chance that k trials drawn from n, of which c passed, all pass, C(c,k)/C(n,k)
 * (Yao et al., "τ-bench", 2024; tau2-bench's metrics/agent_metrics.py). With k = n it is 1
 * when every trial passed and 0 otherwise; with k = 1 it is the pass rate c/n (pass@1).
 */
export function passHatK(n: number, c: number, k: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k)) {
    throw new RangeError("pass^k takes whole numbers");
  }
  if (n < 1 || k < 1 || k > n || c < 0 || c > n) {
    throw new RangeError(`pass^k needs 1 <= k <= n and 0 <= c <= n (n=${n}, c=${c}, k=${k})`);
  }
  // The ratio of binomials as a product of k factors: exact for small counts, no overflow.
  let p = 1;
  for (let i = 0; i < k; i++) p *= (c - i) / (n - i);
  return Math.max(0, p);
}
