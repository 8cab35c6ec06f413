import { z } from "zod";
import { FEATURE_BITS, NGRAM_CHAR, type NgramSpans, type TextFeatures } from "./text-features.ts";

/**
 * A logistic-regression model per label over the hashed n-grams of text-features.ts, as
 * shipped in src/guardrails/models/<name>.v<version>.json. Long texts are scored in
 * overlapping windows of n-grams and the best window counts, so one injected paragraph in a
 * long email is not diluted by the rest; sums per block of a quarter window make that one
 * pass over the n-grams.
 */
export const WINDOW_NGRAMS = 768;
const WINDOW_BLOCKS = 4;
const STRIDE = WINDOW_NGRAMS / WINDOW_BLOCKS;
const TOP_DRIVERS = 5;
/** Shorter words ("i", "an") carry little meaning for a reader of the evidence. */
const MIN_PHRASE = 3;

const metricsSchema = z.object({
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  positives: z.number(),
  negatives: z.number(),
});

export const modelFileSchema = z.object({
  format: z.literal("mainstay-linear-v1"),
  name: z.string(),
  version: z.number().int(),
  featureBits: z.literal(FEATURE_BITS),
  labels: z.array(z.string()).min(1),
  bias: z.array(z.number()),
  /** Platt scaling per label, fitted on the calibration split: p = 1 / (1 + e^-(a z + b)). */
  calibration: z.array(z.object({ a: z.number(), b: z.number() })),
  /** Per label, the calibrated score a finding needs unless a rule sets its own. */
  thresholds: z.record(z.string(), z.number()),
  weights: z.object({
    /** Base64 of the kept buckets, ascending, as LEB128 varint gaps. */
    buckets: z.string(),
    /** Base64 of int8 weights, bucket-major, one per label; weight = value / 127 * scale. */
    values: z.string(),
    scales: z.array(z.number()),
  }),
  heldOut: z.record(z.string(), metricsSchema),
  training: z.record(z.string(), z.unknown()),
});
export type ModelFile = z.infer<typeof modelFileSchema>;
export type HeldOutMetrics = z.infer<typeof metricsSchema>;

export interface LabelScore {
  label: string;
  /** Calibrated probability of the best window. */
  score: number;
  /** The model's raw log-odds for that window, before calibration. */
  logit: number;
  /** N-gram index range of the best window. */
  from: number;
  to: number;
}

export interface LinearModel {
  readonly file: ModelFile;
  /** One score per label, in the order of `file.labels`. */
  score(features: TextFeatures): LabelScore[];
  /**
   * The word n-grams that pushed a label's score up most in [from, to), strongest first,
   * as n-gram indices; `spans` must hold at least [from, to).
   */
  drivers(spans: NgramSpans, label: number, from: number, to: number): number[];
}

export function linearModel(file: ModelFile): LinearModel {
  const labels = file.labels.length;
  const weights = decodeWeights(file, labels);
  return {
    file,
    score(features) {
      const blocks = blockSums(features, weights);
      return file.labels.map((label, l) =>
        bestWindow(file, blocks, features.count, labels, l, label),
      );
    },
    drivers(spans, label, from, to) {
      const ranked: { index: number; weight: number }[] = [];
      for (let i = from; i < to; i++) {
        const at = i - spans.first;
        if (spans.kinds[at] === NGRAM_CHAR) continue;
        if (spans.ends[at]! - spans.starts[at]! < MIN_PHRASE) continue;
        const row = rowOf(weights, spans.buckets[at]!);
        const weight = row < 0 ? 0 : weightAt(weights, row, label);
        if (weight > 0) ranked.push({ index: i, weight });
      }
      ranked.sort((a, b) => b.weight - a.weight || a.index - b.index);
      return ranked.slice(0, TOP_DRIVERS).map((r) => r.index);
    },
  };
}

/**
 * The kept buckets' weights as shipped, one int8 row per kept bucket in bucket order, and
 * per label the 256 float weights an int8 stands for. A bit per bucket and a running count
 * of set bits per 32 buckets find a bucket's row (a rank query; each pair of words is side
 * by side, one cache line). The hot data is then ~64 kB plus one byte per kept weight, so
 * it stays in the CPU cache while the regex detectors run in between; a flat table of
 * row numbers was faster alone but about 1.6 times slower inside a real check.
 */
interface PackedWeights {
  labels: number;
  /** Per 32 buckets: the presence bits, then the number of kept buckets before them. */
  index: Int32Array;
  values: Int8Array;
  /** Per label, the weight of each int8 value (index value + 128), as float32. */
  weightOf: Float32Array;
}

function rowOf({ index }: PackedWeights, bucket: number): number {
  const at = (bucket >>> 5) << 1;
  const word = index[at]!;
  const bit = 1 << (bucket & 31);
  return (word & bit) === 0 ? -1 : index[at + 1]! + bitCount(word & (bit - 1));
}

function weightAt(weights: PackedWeights, row: number, label: number): number {
  return weights.weightOf[(label << 8) + weights.values[row * weights.labels + label]! + 128]!;
}

function bitCount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Labels summed per pass: each in a local variable, which the engine keeps in a register. */
const LABELS_PER_PASS = 4;

/**
 * Weight sums per label over blocks of STRIDE n-grams; a window is WINDOW_BLOCKS blocks.
 * Sums run in n-gram order, as with a dense table: skipping dropped buckets only skips
 * additions of zero, so scores are bit for bit the same.
 */
function blockSums(features: TextFeatures, weights: PackedWeights): Float64Array {
  const { labels } = weights;
  const blocks = Math.max(1, Math.ceil(features.count / STRIDE));
  const sums = new Float64Array(blocks * labels);
  for (let first = 0; first < labels; first += LABELS_PER_PASS) {
    addBlockSums(features, weights, first, Math.min(LABELS_PER_PASS, labels - first), sums);
  }
  return sums;
}

/** The sums of labels [first, first + width) into `sums`; width is 1 to LABELS_PER_PASS. */
function addBlockSums(
  { buckets, count }: TextFeatures,
  { labels, index, values, weightOf }: PackedWeights,
  first: number,
  width: number,
  sums: Float64Array,
): void {
  const blocks = sums.length / labels;
  // Offsets of labels first..first+3 in weightOf, plus the 128 that centres an int8.
  const w0 = (first << 8) + 128;
  const w1 = w0 + 256;
  const w2 = w1 + 256;
  const w3 = w2 + 256;
  for (let block = 0; block < blocks; block++) {
    const from = block * STRIDE;
    const end = Math.min(count, from + STRIDE);
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let i = from; i < end; i++) {
      const bucket = buckets[i]!;
      const pair = (bucket >>> 5) << 1;
      const word = index[pair]!;
      const bit = 1 << (bucket & 31);
      if ((word & bit) === 0) continue;
      const at = (index[pair + 1]! + bitCount(word & (bit - 1))) * labels + first;
      s0 += weightOf[w0 + values[at]!]!;
      if (width > 1) s1 += weightOf[w1 + values[at + 1]!]!;
      if (width > 2) s2 += weightOf[w2 + values[at + 2]!]!;
      if (width > 3) s3 += weightOf[w3 + values[at + 3]!]!;
    }
    const at = block * labels + first;
    sums[at] = s0;
    if (width > 1) sums[at + 1] = s1;
    if (width > 2) sums[at + 2] = s2;
    if (width > 3) sums[at + 3] = s3;
  }
}

function bestWindow(
  file: ModelFile,
  blocks: Float64Array,
  count: number,
  labels: number,
  l: number,
  label: string,
): LabelScore {
  const blockCount = blocks.length / labels;
  let best = { label, score: 0, logit: 0, from: 0, to: count };
  let bestLogit = Number.NEGATIVE_INFINITY;
  for (let first = 0; ; first++) {
    const last = Math.min(blockCount, first + WINDOW_BLOCKS);
    let sum = 0;
    for (let block = first; block < last; block++) sum += blocks[block * labels + l]!;
    const from = first * STRIDE;
    const to = Math.min(count, last * STRIDE);
    const logit = file.bias[l]! + sum / Math.sqrt(Math.max(1, to - from));
    if (logit > bestLogit) {
      bestLogit = logit;
      best = { label, score: 0, logit, from, to };
    }
    if (last >= blockCount) break;
  }
  const { a, b } = file.calibration[l]!;
  best.score = 1 / (1 + Math.exp(-(a * bestLogit + b)));
  return best;
}

function decodeWeights(file: ModelFile, labels: number): PackedWeights {
  const words = (1 << FEATURE_BITS) >>> 5;
  const index = new Int32Array(words * 2);
  let bucket = 0;
  let shift = 0;
  let gap = 0;
  for (const byte of Buffer.from(file.weights.buckets, "base64")) {
    gap |= (byte & 0x7f) << shift;
    shift += 7;
    if (byte & 0x80) continue;
    bucket += gap;
    index[(bucket >>> 5) << 1]! |= 1 << (bucket & 31);
    gap = 0;
    shift = 0;
  }
  for (let w = 0, kept = 0; w < words; w++) {
    index[2 * w + 1] = kept;
    kept += bitCount(index[2 * w]!);
  }
  // Float32 rounding of value / 127 * scale, as the weights were always expanded.
  const weightOf = new Float32Array(labels * 256);
  for (let l = 0; l < labels; l++) {
    for (let v = -128; v < 128; v++) {
      weightOf[(l << 8) + v + 128] = (v / 127) * file.weights.scales[l]!;
    }
  }
  const values = new Int8Array(Buffer.from(file.weights.values, "base64"));
  return { labels, index, values, weightOf };
}
