import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { closestName, didYouMean, editDistance } from "../../src/shared/closest-name.ts";

describe("the closest known key", () => {
  it("counts a swap of neighbours as one edit", () => {
    assert.equal(editDistance("threshhold", "threshold"), 1);
    assert.equal(editDistance("prot", "port"), 1);
    assert.equal(editDistance("kitten", "sitting"), 3);
    assert.equal(editDistance("", "abc"), 3);
  });

  it("suggests a near name, ignoring case, and nothing far off", () => {
    const keys = ["id", "version", "type", "knowledgeDir", "threshold", "handoffText"];
    assert.equal(closestName("threshhold", keys), "threshold");
    assert.equal(closestName("knowledgedir", keys), "knowledgeDir");
    assert.equal(closestName("vresion", keys), "version");
    assert.equal(closestName("colour", keys), undefined);
    // A short word is matched only within one edit.
    assert.equal(closestName("ib", keys), "id");
    assert.equal(closestName("xy", keys), undefined);
    assert.equal(didYouMean("tpye", keys), ' (did you mean "type"?)');
    assert.equal(didYouMean("zzz", keys), "");
  });

  it("is a distance: zero only for equal words, symmetric, at most the longer length", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const d = editDistance(a, b);
        assert.equal(d === 0, a === b);
        assert.equal(d, editDistance(b, a));
        assert.ok(d <= Math.max(a.length, b.length));
        assert.ok(d >= Math.abs(a.length - b.length));
      }),
    );
  });
});
