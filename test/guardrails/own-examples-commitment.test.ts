import assert from "node:assert/strict";
import { test } from "node:test";
import { commitmentExamples } from "../../src/guardrails/training/own-examples/commitment-examples.ts";

const LABELS = new Set(["commitment"]);
const examples = commitmentExamples();

function itemsWith(positive: boolean): Set<string> {
  return new Set(examples.filter((e) => e.labels.length > 0 === positive).map((e) => e.item));
}

test("commitment examples: the generator is deterministic", () => {
  assert.deepEqual(commitmentExamples(), examples);
});

test("commitment examples: texts are non-empty, trimmed and filled in", () => {
  for (const e of examples) {
    assert.ok(e.text.length > 0, e.item);
    assert.equal(e.text, e.text.trim(), e.item);
    assert.doesNotMatch(e.text, /[{}]/, `unfilled slot in ${e.item}`);
  }
});

test("commitment examples: labels come from the model's list", () => {
  for (const e of examples) for (const label of e.labels) assert.ok(LABELS.has(label), label);
});

test("commitment examples: no text repeats, ignoring case", () => {
  const texts = examples.map((e) => e.text.toLowerCase());
  assert.equal(new Set(texts).size, texts.length);
});

test("commitment examples: every item's copies share labels and number 2 to 8", () => {
  const byItem = new Map<string, { labels: string; copies: number }>();
  for (const e of examples) {
    const labels = [...e.labels].sort().join(",");
    const seen = byItem.get(e.item);
    if (seen) {
      assert.equal(labels, seen.labels, e.item);
      seen.copies++;
    } else byItem.set(e.item, { labels, copies: 1 });
  }
  for (const [item, { copies }] of byItem) assert.ok(copies >= 2 && copies <= 8, item);
});

test("commitment examples: at least 400 items per side, negatives not outnumbered", () => {
  const positive = examples.filter((e) => e.labels.includes("commitment")).length;
  const negative = examples.length - positive;
  assert.ok(itemsWith(true).size >= 400, `positive items ${itemsWith(true).size}`);
  assert.ok(itemsWith(false).size >= itemsWith(true).size, "negative items");
  assert.ok(positive >= 1400, `positive texts ${positive}`);
  assert.ok(negative >= positive, `negative texts ${negative}`);
  assert.ok(examples.length >= 2000, `texts ${examples.length}`);
});

test("commitment examples: about a tenth to a seventh of the items are German, Spanish or French", () => {
  const items = new Set(examples.map((e) => e.item));
  const foreign = [...items].filter((item) => /^(pos|neg)-(de|es|fr)-/.test(item)).length;
  const share = foreign / items.size;
  assert.ok(share >= 0.1 && share <= 0.15, `foreign share ${share}`);
});

test("commitment examples: the second set holds 180 advice, 100 promise and 250 negative items", () => {
  const items = new Set(examples.map((e) => e.item));
  const count = (pattern: RegExp) => [...items].filter((item) => pattern.test(item)).length;
  for (const field of ["legal", "medical", "finance"]) {
    assert.ok(count(new RegExp(`^pos-${field}-more-`)) >= 51, field);
  }
  assert.ok(count(/^pos-(legal|medical|finance)-more-|^pos-(de|es|fr)-advice-/) >= 180, "advice");
  assert.ok(count(/^pos-(passive|future|granted|folded)-|^pos-(de|es|fr)-promise-/) >= 100);
  const negatives =
    /^neg-(referral|general-info|hedge|policy-desc|pending|echo|harmless-advice|amounts)-|^neg-(de|es|fr)-more-/;
  assert.ok(count(negatives) >= 250, "negatives");
});
