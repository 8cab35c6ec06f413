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
  /** The word n-grams that pushed a label's score up most in [from, to), strongest first. */
  drivers(features: NgramSpans, label: number, from: number, to: number): number[];
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
    drivers(features, label, from, to) {
      const ranked: { index: number; weight: number }[] = [];
      for (let i = from; i < to; i++) {
        if (features.kinds[i] === NGRAM_CHAR) continue;
        if (features.ends[i]! - features.starts[i]! < MIN_PHRASE) continue;
        const row = rowOf(weights, features.buckets[i]!);
        const weight = row < 0 ? 0 : weights.rows[row * labels + label]!;
        if (weight > 0) ranked.push({ index: i, weight });
      }
      ranked.sort((a, b) => b.weight - a.weight || a.index - b.index);
      return ranked.slice(0, TOP_DRIVERS).map((r) => r.index);
    },
  };
}

/**
 * The kept buckets' weights, one row per kept bucket in bucket order. A bit per bucket
 * and a running count of set bits per 32 buckets find a bucket's row (a rank query), so
 * the hot data is a few hundred kB per model instead of a dense table of 2^18 rows (4 MB
 * with four labels), and a bucket the model dropped costs no memory access at all.
 */
interface PackedWeights {
  labels: number;
  present: Int32Array;
  rank: Int32Array;
  rows: Float32Array;
}

function rowOf({ present, rank }: PackedWeights, bucket: number): number {
  const word = present[bucket >>> 5]!;
  const bit = 1 << (bucket & 31);
  return (word & bit) === 0 ? -1 : rank[bucket >>> 5]! + bitCount(word & (bit - 1));
}

function bitCount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/**
 * Weight sums per label over blocks of STRIDE n-grams; a window is WINDOW_BLOCKS blocks.
 * Sums run in n-gram order, as with a dense table: skipping dropped buckets only skips
 * additions of zero, so scores are bit for bit the same.
 */
function blockSums(features: TextFeatures, weights: PackedWeights): Float64Array {
  const { labels, present, rank, rows } = weights;
  const { buckets, count } = features;
  const blocks = Math.max(1, Math.ceil(count / STRIDE));
  const sums = new Float64Array(blocks * labels);
  for (let block = 0; block < blocks; block++) {
    const end = Math.min(count, (block + 1) * STRIDE);
    const at = block * labels;
    for (let i = block * STRIDE; i < end; i++) {
      const bucket = buckets[i]!;
      const word = present[bucket >>> 5]!;
      const bit = 1 << (bucket & 31);
      if ((word & bit) === 0) continue;
      const row = (rank[bucket >>> 5]! + bitCount(word & (bit - 1))) * labels;
      for (let l = 0; l < labels; l++) sums[at + l] = sums[at + l]! + rows[row + l]!;
    }
  }
  return sums;
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
  const present = new Int32Array(words);
  const rank = new Int32Array(words);
  const gaps = Buffer.from(file.weights.buckets, "base64");
  const values = new Int8Array(Buffer.from(file.weights.values, "base64"));
  const rows = new Float32Array(values.length);
  let bucket = 0;
  let shift = 0;
  let gap = 0;
  let k = 0;
  for (const byte of gaps) {
    gap |= (byte & 0x7f) << shift;
    shift += 7;
    if (byte & 0x80) continue;
    bucket += gap;
    present[bucket >>> 5]! |= 1 << (bucket & 31);
    for (let l = 0; l < labels; l++) {
      rows[k * labels + l] = (values[k * labels + l]! / 127) * file.weights.scales[l]!;
    }
    k++;
    gap = 0;
    shift = 0;
  }
  for (let w = 0, kept = 0; w < words; w++) {
    rank[w] = kept;
    kept += bitCount(present[w]!);
  }
  return { labels, present, rank, rows };
}
