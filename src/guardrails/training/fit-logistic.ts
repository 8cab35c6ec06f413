import type { Random } from "../../shared/index.ts";
import { FEATURE_BITS } from "../learned/text-features.ts";

/** One training example as the runtime sees it: summed feature values per bucket. */
export interface SparseExample {
  buckets: Int32Array;
  values: Float64Array;
  /** Per label: 1, 0, or -1 for unknown (skipped for that label). */
  targets: Int8Array;
  /** Class-balancing weight per label. */
  weights: Float64Array;
}

export interface FitOptions {
  labels: number;
  epochs: number;
  random: Random;
  onStep(): void;
}

export interface FittedWeights {
  /** Bucket-major, label-minor, like the runtime's table. */
  weights: Float64Array;
  bias: Float64Array;
}

// FTRL-proximal (McMahan et al., "Ad Click Prediction: a View from the Trenches", 2013):
// per-coordinate learning rates suit hashed n-grams, where most buckets are rare, and the
// L1 term leaves most buckets at exactly zero, which keeps the shipped file small.
const ALPHA = 0.5;
const BETA = 1;
const L1 = 0.002;
const L2 = 0.001;

/** One logistic regression per label on shared features, fitted with a fixed seed. */
export function fitLogistic(examples: SparseExample[], options: FitOptions): FittedWeights {
  const { labels } = options;
  const size = (1 << FEATURE_BITS) * labels;
  const z = new Float64Array(size);
  const n = new Float64Array(size);
  const bias = new Float64Array(labels);
  const biasN = new Float64Array(labels);
  const order = examples.map((_, i) => i);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffle(order, options.random);
    for (const index of order) {
      const example = examples[index]!;
      for (let l = 0; l < labels; l++) {
        const target = example.targets[l]!;
        if (target < 0) continue;
        let logit = bias[l]!;
        for (let k = 0; k < example.buckets.length; k++) {
          logit += weightAt(z, n, example.buckets[k]! * labels + l) * example.values[k]!;
        }
        const gradient = (sigmoid(logit) - target) * example.weights[l]!;
        for (let k = 0; k < example.buckets.length; k++) {
          const at = example.buckets[k]! * labels + l;
          const g = gradient * example.values[k]!;
          const sigma = (Math.sqrt(n[at]! + g * g) - Math.sqrt(n[at]!)) / ALPHA;
          z[at] = z[at]! + g - sigma * weightAt(z, n, at);
          n[at] = n[at]! + g * g;
        }
        biasN[l] = biasN[l]! + gradient * gradient;
        bias[l] = bias[l]! - (ALPHA * gradient) / (BETA + Math.sqrt(biasN[l]!));
      }
      options.onStep();
    }
  }
  const weights = new Float64Array(size);
  for (let at = 0; at < size; at++) weights[at] = weightAt(z, n, at);
  return { weights, bias };
}

function weightAt(z: Float64Array, n: Float64Array, at: number): number {
  const zi = z[at]!;
  if (Math.abs(zi) <= L1) return 0;
  return -(zi - Math.sign(zi) * L1) / ((BETA + Math.sqrt(n[at]!)) / ALPHA + L2);
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function shuffle(order: number[], random: Random): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
}
