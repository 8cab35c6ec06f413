import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { type RecordedScore, scoreAll, scoredTexts } from "./learned-scores.ts";

/**
 * The shipped weights must keep giving the same scores whatever is done to make scoring
 * faster. test/fixtures/learned-guard/scores.json was written by `scoreAll(scoredTexts())`
 * on the code before the learned tier was optimised (issue #15); only a new weight file
 * may change it.
 */
const RECORDED = JSON.parse(
  readFileSync(new URL("../fixtures/learned-guard/scores.json", import.meta.url), "utf8"),
) as RecordedScore[];

test("learned scores on the labelled cases are the recorded ones, to 1e-9", () => {
  const now = scoreAll(scoredTexts());
  assert.equal(now.length, RECORDED.length);
  now.forEach((score, i) => {
    const recorded = RECORDED[i]!;
    const where = `${score.model} text ${score.text}`;
    assert.equal(score.model, recorded.model, where);
    assert.equal(score.text, recorded.text, where);
    score.labels.forEach((label, l) => {
      const before = recorded.labels[l]!;
      assert.equal(label.label, before.label, where);
      assert.ok(Math.abs(label.score - before.score) <= 1e-9, `${where} ${label.label} score`);
      assert.ok(Math.abs(label.logit - before.logit) <= 1e-9, `${where} ${label.label} logit`);
      assert.deepEqual([label.from, label.to], [before.from, before.to], `${where} window`);
      assert.deepEqual(label.drivers, before.drivers, `${where} ${label.label} drivers`);
    });
  });
});
