import type { HeldOutMetrics } from "../learned/linear-model.ts";

export interface Scored {
  logit: number;
  target: 0 | 1;
}

/**
 * Platt scaling (Platt 1999, with the target smoothing of Lin, Lin & Weng 2007): fits
 * p = 1 / (1 + e^-(a z + b)) to held-out logits by Newton's method.
 */
export function fitPlatt(scored: Scored[]): { a: number; b: number } {
  const positives = scored.filter((s) => s.target === 1).length;
  const negatives = scored.length - positives;
  const hi = (positives + 1) / (positives + 2);
  const lo = 1 / (negatives + 2);
  let a = 1;
  let b = 0;
  for (let iteration = 0; iteration < 100; iteration++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-9;
    let hab = 0;
    let hbb = 1e-9;
    for (const { logit, target } of scored) {
      const p = 1 / (1 + Math.exp(-(a * logit + b)));
      const t = target === 1 ? hi : lo;
      const d = p - t;
      const w = p * (1 - p);
      ga += d * logit;
      gb += d;
      haa += w * logit * logit;
      hab += w * logit;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (Math.abs(det) < 1e-12) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-9) break;
  }
  return { a, b };
}

export function metricsAt(
  scores: { score: number; target: 0 | 1 }[],
  threshold: number,
): HeldOutMetrics {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let positives = 0;
  for (const { score, target } of scores) {
    const flagged = score >= threshold;
    if (target === 1) positives++;
    if (flagged && target === 1) tp++;
    else if (flagged) fp++;
    else if (target === 1) fn++;
  }
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return {
    precision: round3(precision),
    recall: round3(recall),
    f1: round3(f1),
    positives,
    negatives: scores.length - positives,
  };
}

/**
 * The threshold with the best F1 on the calibration split, not below `floor`, and, when
 * `cap` is given, among those that flag at most `cap.share` of its `cap.rows` negatives
 * (the hard look-alikes a mixed F1 has too few of to weigh).
 */
export function bestThreshold(
  scores: { score: number; target: 0 | 1 }[],
  floor: number,
  cap?: { rows: { score: number; target: 0 | 1 }[]; share: number },
): number {
  let best = floor;
  let bestF1 = -1;
  for (let t = floor; t <= 0.95 + 1e-9; t += 0.01) {
    if (cap && flaggedShare(cap.rows, t) > cap.share) continue;
    const { f1 } = metricsAt(scores, t);
    if (f1 > bestF1) {
      bestF1 = f1;
      best = Math.round(t * 100) / 100;
    }
  }
  return bestF1 < 0 ? 0.95 : best;
}

function flaggedShare(rows: { score: number; target: 0 | 1 }[], threshold: number): number {
  const negatives = rows.filter((r) => r.target === 0);
  if (negatives.length === 0) return 0;
  return negatives.filter((r) => r.score >= threshold).length / negatives.length;
}

export function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
