import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { notWorseEvidence, rateBounds } from "../../../src/rollouts/statistics/index.ts";
import { isMainstayError, seededRandom } from "../../../src/shared/index.ts";

const close = (actual: number, expected: number, tolerance = 1e-8) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected}`);

test("no data shows nothing", () => {
  const evidence = notWorseEvidence({ n: 0, bad: 0 }, { n: 0, bad: 0 }, 0.01, 0.05);
  assert.equal(evidence.shown, false);
  assert.equal(evidence.logE, 0);
  assert.equal(evidence.upperDifference, 1);
  assert.equal(evidence.threshold, Math.log(20));
});

// logE values recomputed independently in Python (scipy's bounded scalar minimiser for the
// constrained maximum likelihood, bisection for the bound).
test("hand-checked: equal 2% rates over 10,000 conversations each are within 1 point", () => {
  const evidence = notWorseEvidence({ n: 10_000, bad: 200 }, { n: 10_000, bad: 200 }, 0.01, 0.05);
  close(evidence.logE, 6.5486660014082645);
  close(evidence.upperDifference, 0.008415385982106251);
  assert.equal(evidence.shown, true);
  assert.equal(evidence.baselineRate, 0.02);
  assert.equal(evidence.candidateRate, 0.02);
  // The joint test is sharper than per-arm bounds: these alone would not show 1 point.
  const perArm = rateBounds(200, 10_000, 0.025).upper - rateBounds(200, 10_000, 0.025).lower;
  assert.ok(perArm > 0.01);
  assert.deepEqual(JSON.parse(JSON.stringify(evidence)), evidence);
});

test("hand-checked: unequal arms and too little data", () => {
  const unequal = notWorseEvidence({ n: 3000, bad: 90 }, { n: 1000, bad: 25 }, 0.02, 0.05);
  close(unequal.logE, 1.5169510997133102);
  close(unequal.upperDifference, 0.022986346878144787);
  assert.equal(unequal.shown, false);
  const small = notWorseEvidence({ n: 500, bad: 10 }, { n: 500, bad: 5 }, 0.01, 0.05);
  close(small.logE, -1.9292332708250228);
  assert.equal(small.shown, false);
});

test("a candidate clearly worse is not shown, however much data", () => {
  const evidence = notWorseEvidence({ n: 10_000, bad: 200 }, { n: 10_000, bad: 400 }, 0.01, 0.05);
  assert.equal(evidence.shown, false);
  assert.ok(evidence.logE < 0);
  assert.ok(evidence.upperDifference > 0.02);
  assert.ok(evidence.candidateLower > evidence.baselineUpper);
});

test("counts, margin and alpha out of range are refused", () => {
  const refused = (run: () => unknown) =>
    assert.throws(run, (e) => isMainstayError(e) && e.code === "MS_STATISTICS_INVALID");
  refused(() => notWorseEvidence({ n: 1, bad: 2 }, { n: 1, bad: 0 }, 0.01, 0.05));
  refused(() => notWorseEvidence({ n: 1, bad: 0 }, { n: -1, bad: 0 }, 0.01, 0.05));
  refused(() => notWorseEvidence({ n: 1, bad: 0 }, { n: 1, bad: 0 }, -0.01, 0.05));
  refused(() => notWorseEvidence({ n: 1, bad: 0 }, { n: 1, bad: 0 }, 1, 0.05));
  refused(() => notWorseEvidence({ n: 1, bad: 0 }, { n: 1, bad: 0 }, 0.01, 1));
});

const armArb = fc
  .tuple(fc.integer({ min: 0, max: 20_000 }), fc.double({ min: 0, max: 1, noNaN: true }))
  .map(([n, rate]) => ({ n, bad: Math.round(n * rate) }));
const marginArb = fc.double({ min: 0, max: 0.2, noNaN: true });

test("property: never shown when the candidate's observed rate is worse by the margin", () => {
  fc.assert(
    fc.property(armArb, armArb, marginArb, (baseline, candidate, margin) => {
      fc.pre(baseline.n > 0 && candidate.n > 0);
      fc.pre(candidate.bad / candidate.n - baseline.bad / baseline.n >= margin);
      const evidence = notWorseEvidence(baseline, candidate, margin, 0.05);
      assert.equal(evidence.shown, false);
      assert.ok(evidence.logE <= 0);
    }),
    { numRuns: 50 },
  );
});

test("property: shown exactly when the upper bound on the difference is within the margin", () => {
  fc.assert(
    fc.property(armArb, armArb, marginArb, (baseline, candidate, margin) => {
      const evidence = notWorseEvidence(baseline, candidate, margin, 0.05);
      assert.ok(Number.isFinite(evidence.logE) || evidence.logE === Number.POSITIVE_INFINITY);
      if (evidence.shown) assert.ok(evidence.upperDifference <= margin);
      else assert.ok(evidence.upperDifference >= margin - 1e-9);
      if (baseline.n > 0 && candidate.n > 0) {
        const observed = candidate.bad / candidate.n - baseline.bad / baseline.n;
        assert.ok(evidence.upperDifference >= observed - 1e-9);
      }
    }),
    { numRuns: 50 },
  );
});

test("simulation: a candidate exactly `margin` worse is almost never shown not worse", () => {
  // 200 canaries at 10% vs 12%, margin 2 points, checked every 200 conversations up to
  // 2,000: the null's boundary, where false promotions are likeliest.
  const random = seededRandom(23);
  const runs = 200;
  let promoted = 0;
  for (let run = 0; run < runs; run++) {
    const baseline = { n: 0, bad: 0 };
    const candidate = { n: 0, bad: 0 };
    for (let n = 1; n <= 2000; n++) {
      const arm = random.next() < 0.5 ? candidate : baseline;
      arm.n++;
      if (random.next() < (arm === candidate ? 0.12 : 0.1)) arm.bad++;
      if (n % 200 === 0 && notWorseEvidence(baseline, candidate, 0.02, 0.05).shown) {
        promoted++;
        break;
      }
    }
  }
  assert.ok(promoted / runs <= 0.05, `promoted in ${promoted} of ${runs} runs`);
});

test("simulation: an equal candidate is shown not worse by 2 points at a 10% rate", () => {
  const random = seededRandom(29);
  const baseline = { n: 0, bad: 0 };
  const candidate = { n: 0, bad: 0 };
  let shownAt = 0;
  for (let n = 1; n <= 60_000 && shownAt === 0; n++) {
    const arm = random.next() < 0.5 ? candidate : baseline;
    arm.n++;
    if (random.next() < 0.1) arm.bad++;
    if (n % 1000 === 0 && notWorseEvidence(baseline, candidate, 0.02, 0.05).shown) shownAt = n;
  }
  assert.ok(shownAt > 0, "never shown");
});
