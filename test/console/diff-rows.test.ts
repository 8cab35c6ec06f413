import assert from "node:assert/strict";
import { test } from "node:test";
import { diffRows } from "../../console/src/diff-rows.ts";
import { diffDocuments, formatDiff } from "../../src/agents/versions/index.ts";

const before = {
  id: "support",
  systemPrompt: "Rules:\n- be kind\n- be brief\nEnd.",
  tools: [{ name: "orders" }],
};
const after = {
  id: "support",
  systemPrompt: "Rules:\n- be kind\n- be exact\nEnd.",
  temperature: 0.2,
};

test("colours each line by its operation, not by how its text starts", () => {
  const rows = diffRows(diffDocuments(before, after));
  // "- be kind" is an unchanged prompt line: it starts with "- " yet is not removed.
  const kind = rows.find((r) => r.text.includes("be kind"));
  assert.equal(kind?.op, "same");
  assert.deepEqual(
    rows.map((r) => [r.op, r.text.trim()]),
    [
      ["mod", "~ systemPrompt:"],
      ["skip", "… 1 unchanged"],
      ["same", "- be kind"],
      ["del", "- - be brief"],
      ["add", "+ - be exact"],
      ["same", "End."],
      ["del", '- tools: [{"name":"orders"}]'],
      ["add", "+ temperature: 0.2"],
    ],
  );
});

test("reads as the API's text, line for line", () => {
  const changes = diffDocuments(before, after);
  assert.deepEqual(
    diffRows(changes).map((r) => r.text),
    formatDiff(changes).trimEnd().split("\n"),
  );
  assert.deepEqual(diffRows([]), [{ op: "same", text: "no changes" }]);
  const scalar = diffRows(diffDocuments({ a: 1 }, { a: 2 }));
  assert.deepEqual(scalar, [{ op: "mod", text: "~ a: 1 -> 2" }]);
});
