import assert from "node:assert/strict";
import { test } from "node:test";
import { abuseExamples } from "../../src/guardrails/training/own-examples/abuse-examples.ts";
import type { OwnExample } from "../../src/guardrails/training/own-examples/own-example.ts";

const LABELS = new Set(["profanity", "hate", "threat", "self_harm"]);

// Swear words that no innocent sense in the templates shares (unlike "bitch" or "cock").
const SWEARING = /\b(fuck\w*|\w*fucker|shit\w*|bullshit|cunts?|motherfuck\w*|wank\w*|twats?)\b/i;

const examples = abuseExamples();

/** The labels of each item, checked in one place so the size tests can trust them. */
function itemLabels(rows: OwnExample[]): Map<string, string> {
  const labels = new Map<string, string>();
  for (const row of rows) labels.set(row.item, [...row.labels].sort().join(","));
  return labels;
}

test("the generator is deterministic", () => {
  assert.deepEqual(abuseExamples(), examples);
});

test("every text is non-empty and trimmed", () => {
  for (const { text } of examples) {
    assert.ok(text.length > 0);
    assert.equal(text, text.trim(), JSON.stringify(text));
    assert.doesNotMatch(text, /[{}[\]\ue000\ue001]/, `template syntax left in ${text}`);
  }
});

test("labels come only from the abuse model's label list", () => {
  for (const { text, labels } of examples) {
    for (const label of labels) assert.ok(LABELS.has(label), `${label} on ${text}`);
    assert.equal(new Set(labels).size, labels.length, `repeated label on ${text}`);
  }
});

test("no text appears twice, whatever its case", () => {
  const texts = examples.map(({ text }) => text.toLowerCase());
  assert.equal(new Set(texts).size, texts.length);
});

test("all copies of an item share its labels", () => {
  const first = new Map<string, string>();
  for (const { item, labels } of examples) {
    const key = [...labels].sort().join(",");
    const seen = first.get(item) ?? key;
    assert.equal(key, seen, `item ${item} mixes labels`);
    first.set(item, key);
  }
});

test("a text that plainly swears is labelled profanity", () => {
  for (const { text, labels } of examples) {
    if (SWEARING.test(text)) assert.ok(labels.includes("profanity"), text);
  }
});

test("each label has at least the written items and the set its texts", () => {
  const items = [...itemLabels(examples).values()];
  const withLabel = (label: string) => items.filter((k) => k.split(",").includes(label)).length;
  assert.ok(withLabel("hate") >= 400, `hate items: ${withLabel("hate")}`);
  assert.ok(withLabel("threat") >= 80, `threat items: ${withLabel("threat")}`);
  assert.ok(withLabel("self_harm") >= 60, `self_harm items: ${withLabel("self_harm")}`);
  const profanityOnly = items.filter((k) => k === "profanity").length;
  assert.ok(profanityOnly >= 150, `profanity-only items: ${profanityOnly}`);
  const negative = items.filter((k) => k === "").length;
  assert.ok(negative >= 500, `negative items: ${negative}`);
  assert.ok(negative + profanityOnly >= withLabel("hate"), "fewer hard negatives than hate");
  assert.ok(examples.length >= 3000, `texts: ${examples.length}`);
});

test("items keep copies modest, so the split holds many templates", () => {
  const copies = new Map<string, number>();
  for (const { item } of examples) copies.set(item, (copies.get(item) ?? 0) + 1);
  for (const [item, n] of copies) assert.ok(n <= 8, `${item} has ${n} copies`);
});

test("the extra threats, their hard negatives and each language reach their sizes", () => {
  const items = [...itemLabels(examples)];
  const count = (prefix: string, labels: string) =>
    items.filter(([item, k]) => item.startsWith(prefix) && k === labels).length;
  assert.ok(count("threat-more", "threat") >= 150, "threat-more items");
  assert.ok(count("neg-threat", "") >= 120, "neg-threat items");
  for (const lang of ["de", "es", "fr", "pt", "it"]) {
    const p = `ml-${lang}-`;
    const hate = count(p, "hate") + count(p, "hate,threat");
    assert.ok(hate >= 30, `${lang} hate items: ${hate}`);
    assert.ok(count(p, "threat") >= 15, `${lang} threat items`);
    assert.ok(count(p, "profanity") >= 10, `${lang} profanity items`);
    assert.ok(count(p, "self_harm") >= 10, `${lang} self_harm items`);
    assert.ok(count(p, "") >= 40, `${lang} negative items`);
  }
});
