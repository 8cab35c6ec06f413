import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { newId } from "../../src/shared/ids.ts";

describe("newId", () => {
  it("keeps its format, creation order and uniqueness across refills of its random pool", () => {
    // More ids than one pool of random bytes serves, over a few milliseconds.
    const ids = Array.from({ length: 3000 }, (_, i) => newId("msg", 1_800_000_000_000 + (i >> 10)));
    for (const id of ids) assert.match(id, /^msg_[0-9a-z]{22}$/);
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, ids.length);
    const tails = new Set(ids.map((id) => id.slice(-8)));
    assert.ok(tails.size > ids.length * 0.99, "random parts repeat");
  });
});
