import assert from "node:assert/strict";
import { test } from "node:test";
import { injectionExamples } from "../../src/guardrails/training/own-examples/injection-examples.ts";

const LABELS = ["injection"];
const LANGUAGES = ["en", "de", "es", "fr", "pt", "it"];
const examples = injectionExamples();

function itemsOf(side: "pos" | "neg", lang?: string): Set<string> {
  const prefix = lang ? `inj-${lang}-${side}-` : undefined;
  return new Set(
    examples
      .filter((e) => (side === "pos" ? e.labels.length > 0 : e.labels.length === 0))
      .filter((e) => !prefix || e.item.startsWith(prefix))
      .map((e) => e.item),
  );
}

test("the generator is deterministic", () => {
  assert.deepEqual(injectionExamples(), examples);
});

test("every text is non-empty and trimmed", () => {
  for (const { text } of examples) {
    assert.ok(text.length > 0);
    assert.equal(text, text.trim());
  }
});

test("labels come only from the injection model's list", () => {
  for (const { labels } of examples) {
    for (const label of labels) assert.ok(LABELS.includes(label), label);
  }
});

test("no two texts are equal ignoring case", () => {
  const seen = new Map<string, string>();
  for (const { item, text } of examples) {
    const key = text.toLowerCase();
    assert.ok(!seen.has(key), `${item} repeats ${seen.get(key)}: ${text}`);
    seen.set(key, item);
  }
});

test("every item's copies share labels and number 2 to 8", () => {
  const byItem = new Map<string, { labels: string; copies: number }>();
  for (const { item, labels } of examples) {
    const key = [...labels].sort().join(",");
    const found = byItem.get(item);
    if (found) {
      assert.equal(key, found.labels, item);
      found.copies++;
    } else {
      byItem.set(item, { labels: key, copies: 1 });
    }
  }
  for (const [item, { copies }] of byItem) assert.ok(copies >= 2 && copies <= 8, item);
});

test("sizes: 350+ items per side, 1,500+ texts, negatives at least as many", () => {
  const positives = examples.filter((e) => e.labels.length > 0).length;
  assert.ok(examples.length >= 1500, `${examples.length} texts`);
  assert.ok(itemsOf("pos").size >= 350, `${itemsOf("pos").size} positive items`);
  assert.ok(itemsOf("neg").size >= 350, `${itemsOf("neg").size} negative items`);
  assert.ok(itemsOf("neg").size >= itemsOf("pos").size);
  assert.ok(examples.length - positives >= positives);
});

test("every language has positives and hard negatives of its own", () => {
  for (const lang of LANGUAGES) {
    assert.ok(itemsOf("pos", lang).size >= 60, `${lang} positives`);
    assert.ok(itemsOf("neg", lang).size >= 60, `${lang} negatives`);
  }
});
