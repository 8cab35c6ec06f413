import { readFileSync } from "node:fs";
import { foldText } from "../../src/guardrails/fold-text.ts";
import { LEARNED_MODEL_FILES } from "../../src/guardrails/learned/learned-models.ts";
import { loadModel } from "../../src/guardrails/learned/load-model.ts";
import { ngramSpans, textFeatures } from "../../src/guardrails/learned/text-features.ts";

/** One model's raw output on one text: every label's best window and the folded spans
 * of the phrases that drove it. */
export interface RecordedScore {
  model: string;
  text: number;
  labels: {
    label: string;
    score: number;
    logit: number;
    from: number;
    to: number;
    drivers: [number, number][];
  }[];
}

/**
 * The texts the recorded scores cover: every case of test/fixtures/learned-guard/cases.jsonl,
 * plus all of them joined and that joined text repeated to ~40 kB, so that windowed scoring
 * over many windows is covered too.
 */
export function scoredTexts(): string[] {
  const cases = readFileSync(
    new URL("../fixtures/learned-guard/cases.jsonl", import.meta.url),
    "utf8",
  )
    .split("\n")
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { text: string }).text);
  const joined = cases.join(" ");
  return [...cases, joined, `${joined}\n`.repeat(Math.ceil(40_000 / joined.length))];
}

/** Every shipped model on every text, through the learned tier's own feature path. */
export function scoreAll(texts: string[]): RecordedScore[] {
  const out: RecordedScore[] = [];
  for (const file of LEARNED_MODEL_FILES) {
    const model = loadModel(file);
    texts.forEach((text, i) => {
      const folded = foldText(text).text;
      const spans = ngramSpans(folded);
      const labels = model.score(textFeatures(folded)).map((s, l) => ({
        ...s,
        drivers: model
          .drivers(spans, l, s.from, s.to)
          .map((d) => [spans.starts[d]!, spans.ends[d]!] as [number, number]),
      }));
      out.push({ model: file, text: i, labels });
    });
  }
  return out;
}
