import type { ModelFile } from "../learned/linear-model.ts";
import { FEATURE_BITS } from "../learned/text-features.ts";
import type { FittedWeights } from "./fit-logistic.ts";

/** Buckets kept per model: the largest weights; the rest round to zero anyway at int8. */
const MAX_BUCKETS = 60_000;

/** Quantizes fitted weights to int8 per label and packs the kept buckets as varint gaps. */
export function encodeWeights(fitted: FittedWeights, labels: number): ModelFile["weights"] {
  const buckets = 1 << FEATURE_BITS;
  const strength = new Float64Array(buckets);
  const scales = new Array<number>(labels).fill(0);
  for (let b = 0; b < buckets; b++) {
    for (let l = 0; l < labels; l++) {
      const w = Math.abs(fitted.weights[b * labels + l]!);
      strength[b] = Math.max(strength[b]!, w);
      scales[l] = Math.max(scales[l]!, w);
    }
  }
  const kept = [...strength.keys()]
    .filter((b) => strength[b]! > 0)
    .sort((a, b) => strength[b]! - strength[a]! || a - b)
    .slice(0, MAX_BUCKETS)
    .sort((a, b) => a - b);
  const gaps: number[] = [];
  const values = new Int8Array(kept.length * labels);
  let previous = 0;
  kept.forEach((bucket, k) => {
    let gap = bucket - previous;
    previous = bucket;
    while (gap >= 0x80) {
      gaps.push((gap & 0x7f) | 0x80);
      gap >>>= 7;
    }
    gaps.push(gap);
    for (let l = 0; l < labels; l++) {
      const scale = scales[l] || 1;
      values[k * labels + l] = Math.round((fitted.weights[bucket * labels + l]! / scale) * 127);
    }
  });
  return {
    buckets: Buffer.from(gaps).toString("base64"),
    values: Buffer.from(values.buffer).toString("base64"),
    scales: scales.map((s) => s || 1),
  };
}
