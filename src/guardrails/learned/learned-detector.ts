import { z } from "zod";
import { type DetectContext, type DetectorDefinition, defineDetector } from "../detector.ts";
import type { Detection } from "../finding.ts";
import type { LabelScore, LinearModel } from "./linear-model.ts";
import { loadModel } from "./load-model.ts";
import { ngramSpans, textFeatures } from "./text-features.ts";

interface LearnedModelSpec<N extends string, L extends string> {
  /** The detector name a policy rule uses. */
  name: N;
  file: string;
  labels: readonly [L, ...L[]];
  /** The finding type a label is reported as. */
  findingType(label: L): string;
}

/**
 * A detector kind backed by a shipped linear model (learned tier). It reports one finding
 * per label whose calibrated score reaches the rule's threshold (or the model's default),
 * with the word n-grams that drove the score as evidence.
 */
export function learnedDetector<const N extends string, const L extends string>(
  spec: LearnedModelSpec<N, L>,
): DetectorDefinition<z.ZodType, N> {
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
        detect(_text, context) {
          // Every learned rule of a check reads the same n-grams, and rules sharing a model
          // (abuse tagged inbound, self-harm escalated) the same scores: each is done once.
          const features = context.memo(textFeatures, () => textFeatures(context.folded.text));
          if (features.count === 0) return [];
          const scores = context.memo(model, () => model.score(features));
          const found: Detection[] = [];
          for (const { label, index, threshold } of wanted) {
            const score = scores[index]!;
            if (score.score < threshold) continue;
            found.push(toDetection(spec.findingType(label), model, context, index, score));
          }
          return found;
        },
      };
    },
  }) as DetectorDefinition<z.ZodType, N>;
}

function toDetection(
  type: string,
  model: LinearModel,
  context: DetectContext,
  labelIndex: number,
  { label, score, from, to }: LabelScore,
): Detection {
  const { folded } = context;
  const spans = ngramSpans(folded.text, from, to);
  const drivers = model.drivers(spans, labelIndex, from, to);
  const spanOf = drivers.length > 0 ? drivers : [from, to - 1];
  let start = Number.POSITIVE_INFINITY;
  let end = 0;
  for (const i of spanOf) {
    start = Math.min(start, spans.starts[i - from]!);
    end = Math.max(end, spans.ends[i - from]!);
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
      phrases: drivers.map((i) =>
        folded.text.slice(spans.starts[i - from]!, spans.ends[i - from]!),
      ),
    },
  };
}
