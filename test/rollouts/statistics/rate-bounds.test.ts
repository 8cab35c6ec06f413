import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { rateBounds } from "../../../src/rollouts/statistics/index.ts";
import { isMainstayError, seededRandom } from "../../../src/shared/index.ts";

const close = (actual: number, expected: number, tolerance = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected}`);

test("no data bounds nothing", () => {
  assert.deepEqual(rateBounds(0, 0, 0.05), { lower: 0, upper: 1 });
});

test("hand-checked: no bad conversations has a closed-form upper bound", () => {
  // With k = 0 the martingale is B(1/2, n + 1/2) / B(1/2, 1/2) / (1 - p)^n, so it reaches
  // 20 at p = 1 - (B(1/2, n + 1/2) / B(1/2, 1/2) / 20)^(1/n) (computed in Python).
  assert.deepEqual(rateBounds(0, 10, 0.05).lower, 0);
  close(rateBounds(0, 10, 0.05).upper, 0.37698735099067726);
  close(rateBounds(0, 100, 0.05).upper, 0.05702859763877155);
  // The prior is symmetric, so all bad mirrors none bad.
  close(rateBounds(10, 10, 0.05).lower, 1 - 0.37698735099067726);
  assert.equal(rateBounds(10, 10, 0.05).upper, 1);
});

test("bounds on a 2% rate after 1,000 conversations (roots found in Python)", () => {
  const { lower, upper } = rateBounds(20, 1000, 0.05);
  close(lower, 0.007818989084335044);
  close(upper, 0.040635405895282015);
});

test("counts and alpha out of range are refused", () => {
  const refused = (run: () => unknown) =>
    assert.throws(run, (e) => isMainstayError(e) && e.code === "MS_STATISTICS_INVALID");
  refused(() => rateBounds(3, 2, 0.05));
  refused(() => rateBounds(-1, 2, 0.05));
  refused(() => rateBounds(1.5, 2, 0.05));
  refused(() => rateBounds(1, 2, 0));
});

const countsArb = fc
  .tuple(fc.integer({ min: 1, max: 5000 }), fc.double({ min: 0, max: 1, noNaN: true }))
  .map(([n, rate]) => ({ n, bad: Math.round(n * rate) }));

test("property: the bounds contain the observed rate and stay within 0..1", () => {
  fc.assert(
    fc.property(countsArb, fc.double({ min: 0.001, max: 0.5, noNaN: true }), ({ n, bad }, a) => {
      const { lower, upper } = rateBounds(bad, n, a);
      assert.ok(lower >= 0 && lower <= bad / n && bad / n <= upper && upper <= 1);
    }),
  );
});

test("property: the bounds shrink as the same rate is seen over more conversations", () => {
  fc.assert(
    fc.property(countsArb, fc.integer({ min: 2, max: 10 }), ({ n, bad }, factor) => {
      const few = rateBounds(bad, n, 0.05);
      const many = rateBounds(bad * factor, n * factor, 0.05);
      assert.ok(many.upper - many.lower < few.upper - few.lower);
    }),
  );
});

test("property: a smaller alpha widens the bounds", () => {
  fc.assert(
    fc.property(countsArb, ({ n, bad }) => {
      const wide = rateBounds(bad, n, 0.01);
      const narrow = rateBounds(bad, n, 0.1);
      assert.ok(wide.lower <= narrow.lower && wide.upper >= narrow.upper);
    }),
  );
});

test("simulation: the bounds hold the true rate at every sample size in >= 95% of runs", () => {
  const random = seededRandom(17);
  const runs = 400;
  let missed = 0;
  for (let run = 0; run < runs; run++) {
    let bad = 0;
    for (let n = 1; n <= 1000; n++) {
      if (random.next() < 0.05) bad++;
      // Checked every 20 conversations: the guarantee holds for every n at once.
      if (n % 20 !== 0) continue;
      const { lower, upper } = rateBounds(bad, n, 0.05);
      if (lower > 0.05 || upper < 0.05) {
        missed++;
        break;
      }
    }
  }
  assert.ok(missed / runs <= 0.05, `missed in ${missed} of ${runs} runs`);
});
