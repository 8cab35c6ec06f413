import assert from "node:assert/strict";
import { test } from "node:test";
import { fixedHorizonN } from "../../../src/rollouts/statistics/index.ts";
import { isMainstayError } from "../../../src/shared/index.ts";

// Expected values from the same formula evaluated in Python with scipy's normal quantile:
// 2% -> 4% at a 50% split, alpha 0.05, power 0.8 gives 1797.03, rounded up.
test("hand-checked sample sizes of a one-sided two-proportion z-test", () => {
  assert.equal(fixedHorizonN(0.02, 0.04, 0.5, 0.05, 0.8), 1798);
  assert.equal(fixedHorizonN(0.02, 0.04, 0.1, 0.05, 0.8), 4492);
  assert.equal(fixedHorizonN(0.1, 0.15, 0.5, 0.025, 0.9), 1835);
});

test("a smaller effect, a smaller alpha or more power needs more conversations", () => {
  const base = fixedHorizonN(0.02, 0.04, 0.5, 0.05, 0.8);
  assert.ok(fixedHorizonN(0.02, 0.03, 0.5, 0.05, 0.8) > base);
  assert.ok(fixedHorizonN(0.02, 0.04, 0.5, 0.01, 0.8) > base);
  assert.ok(fixedHorizonN(0.02, 0.04, 0.5, 0.05, 0.95) > base);
  assert.ok(fixedHorizonN(0.02, 0.04, 0.05, 0.05, 0.8) > base);
});

test("a test that cannot be designed is refused", () => {
  const refused = (run: () => unknown) =>
    assert.throws(run, (e) => isMainstayError(e) && e.code === "MS_STATISTICS_INVALID");
  refused(() => fixedHorizonN(0.04, 0.02, 0.5, 0.05, 0.8));
  refused(() => fixedHorizonN(0.02, 0.04, 1, 0.05, 0.8));
  refused(() => fixedHorizonN(0.02, 0.04, 0.5, 0.05, 0.01));
  refused(() => fixedHorizonN(0, 0.04, 0.5, 0.05, 0.8));
});
