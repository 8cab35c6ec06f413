import assert from "node:assert/strict";
import { test } from "node:test";
import { offsetOf, problemsOf } from "../../console/src/document-problems.ts";

test("reads line and column off each problem the API names", () => {
  assert.deepEqual(
    problemsOf(
      "body.document:4:13: steps[0].canary: at most 100%\nbody.document:2: candidate: x\nother",
    ),
    [
      { text: "body.document:4:13: steps[0].canary: at most 100%", line: 4, column: 13 },
      { text: "body.document:2: candidate: x", line: 2, column: 1 },
      { text: "other" },
    ],
  );
});

test("points a line and column at its place in the text", () => {
  const text = "agent: a\nsteps:\n  - canary: 150%\n";
  assert.equal(text.slice(offsetOf(text, 3, 13)), "150%\n");
  assert.equal(offsetOf(text, 1, 1), 0);
  assert.equal(offsetOf(text, 9, 1), text.length);
});
