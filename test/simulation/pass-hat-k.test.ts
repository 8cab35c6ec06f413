import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { passHatK } from "../../src/simulation/index.ts";

describe("pass^k", () => {
  it("is C(c,k)/C(n,k): worked examples", () => {
    assert.equal(passHatK(4, 4, 4), 1);
    assert.equal(passHatK(4, 3, 4), 0);
    assert.equal(passHatK(4, 3, 1), 0.75);
    // C(3,2)/C(4,2) = 3/6
    assert.equal(passHatK(4, 3, 2), 0.5);
    // C(5,3)/C(8,3) = 10/56
    assert.ok(Math.abs(passHatK(8, 5, 3) - 10 / 56) < 1e-12);
    assert.equal(passHatK(5, 1, 2), 0);
  });

  it("k = 1 is the pass rate, k = n says whether every trial passed, and it never rises with k", () => {
    const counts = fc
      .integer({ min: 1, max: 30 })
      .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n })));
    fc.assert(
      fc.property(counts, ([n, c]) => {
        assert.ok(Math.abs(passHatK(n, c, 1) - c / n) < 1e-12);
        assert.equal(passHatK(n, c, n), c === n ? 1 : 0);
        for (let k = 2; k <= n; k++) {
          const p = passHatK(n, c, k);
          assert.ok(p >= 0 && p <= passHatK(n, c, k - 1) + 1e-12);
        }
      }),
    );
  });

  it("refuses counts that are not trials", () => {
    assert.throws(() => passHatK(3, 4, 1), RangeError);
    assert.throws(() => passHatK(3, 2, 4), RangeError);
    assert.throws(() => passHatK(3, 1.5, 1), RangeError);
  });
});
