import { z } from "zod";
import { type DetectorKind, defineDetector } from "../detector.ts";
import type { Detection } from "../finding.ts";
import type { FoldedText } from "../fold-text.ts";
import type { LabelScore, LinearModel } from "./linear-model.ts";
import { loadModel } from "./load-model.ts";
import { type TextFeatures, textFeatures } from "./text-features.ts";

interface LearnedModelSpec<N extends string, L extends string> {
  /** The detector name a policy rule uses. */
  name: N;
  file: string;
  labels: readonly [L, ...L[]];
  /** The finding type a label is reported as. */
  findingType(label: L): string;
}

interface Scored {
  features: TextFeatures;
  scores: Map<LinearModel, LabelScore[]>;
}

// Every learned rule in one check reads the same n-grams, and rules sharing a model (say
// abuse tagged inbound and self-harm escalated) the same scores: each is computed once per
// message, keyed by the check's folded view.
const scoredOf = new WeakMap<FoldedText, Scored>();

function scored(folded: FoldedText, model: LinearModel): Scored & { mine: LabelScore[] } {
  let found = scoredOf.get(folded);
  if (!found) {
    found = { features: textFeatures(folded.text), scores: new Map() };
    scoredOf.set(folded, found);
  }
  let mine = found.scores.get(model);
  if (!mine) {
    mine = found.features.count === 0 ? [] : model.score(found.features);
    found.scores.set(model, mine);
  }
  return { ...found, mine };
}

/**
 * A detector kind backed by a shipped linear model (learned tier). It reports one finding
 * per label whose calibrated score reaches the rule's threshold (or the model's default),
 * with the word n-grams that drove the score as evidence.
 */
export function learnedDetector<const N extends string, const L extends string>(
  spec: LearnedModelSpec<N, L>,
): DetectorKind<z.ZodType, N> {
  const labelEnum = z.enum(spec.labels as unknown as [L, ...L[]]);
  return defineDetector({
    name: spec.name,
    options: z
      .object({
        labels: z
          .array(labelEnum)
          .min(1)
          .default([...spec.labels])
          .describe("Labels to report; the others are not scored."),
        thresholds: z
          .partialRecord(labelEnum, z.number().min(0).max(1))
          .default({})
          .describe("Minimum calibrated score per label; omitted labels use the model's default."),
      })
      .strict(),
    create({ labels, thresholds }) {
      const model = loadModel(spec.file);
      const wanted = labels.map((label) => ({
        label,
        index: model.file.labels.indexOf(label),
        threshold: thresholds[label] ?? model.file.thresholds[label] ?? 0.5,
      }));
      return {
        detect(_text, { folded }) {
          const { features: text, mine: scores } = scored(folded, model);
          if (text.count === 0) return [];
          const found: Detection[] = [];
          for (const { label, index, threshold } of wanted) {
            const score = scores[index]!;
            if (score.score < threshold) continue;
            found.push(toDetection(spec.findingType(label), model, text, folded, index, score));
          }
          return found;
        },
      };
    },
  }) as DetectorKind<z.ZodType, N>;
}

function toDetection(
  type: string,
  model: LinearModel,
  text: TextFeatures,
  folded: FoldedText,
  labelIndex: number,
  { label, score, from, to }: LabelScore,
): Detection {
  const drivers = model.drivers(text, labelIndex, from, to);
  const spanOf = drivers.length > 0 ? drivers : [from, to - 1];
  let start = Number.POSITIVE_INFINITY;
  let end = 0;
  for (const i of spanOf) {
    start = Math.min(start, text.starts[i]!);
    end = Math.max(end, text.ends[i]!);
  }
  const [originalStart, originalEnd] = folded.original(start, end);
  return {
    type,
    start: originalStart,
    end: originalEnd,
    score: Math.round(score * 1000) / 1000,
    evidence: {
      model: `${model.file.name}.v${model.file.version}`,
      label,
      phrases: drivers.map((i) => folded.text.slice(text.starts[i]!, text.ends[i]!)),
    },
  };
}
