import { MainstayError } from "../../shared/index.ts";

/**
 * Statistics inputs come from a validated rollout spec and counted events, so a value out
 * of range is a caller's bug; it fails loudly instead of returning a NaN decision.
 * `open` excludes 0 and 1 (an alpha or a share that must split traffic).
 */
export function requireProbability(name: string, value: number, open = false): void {
  const inRange = open ? value > 0 && value < 1 : value >= 0 && value <= 1;
  if (!Number.isFinite(value) || !inRange) {
    const range = open ? "strictly between 0 and 1" : "between 0 and 1";
    throw new MainstayError("MS_STATISTICS_INVALID", `${name} must be ${range}, got ${value}`);
  }
}

/** Counts of conversations and bad ones in one arm: integers with 0 <= bad <= n. */
export function requireCounts(name: string, n: number, bad: number): void {
  if (!Number.isInteger(n) || !Number.isInteger(bad) || bad < 0 || bad > n) {
    throw new MainstayError(
      "MS_STATISTICS_INVALID",
      `${name} counts must be integers with 0 <= bad <= n, got n=${n} bad=${bad}`,
    );
  }
}
