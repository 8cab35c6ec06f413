/**
 * What the rollups store and what the API and alert rules read.
 *
 * Stored metrics are counts (with a sum where one is kept) per minute and group. Metrics
 * read by name are computed from the stored ones over any window: totals, ratios, means
 * and a 95th percentile from a fixed-bucket latency histogram.
 */

/** Upper bounds (ms) of the turn latency histogram buckets; the last bucket is open. */
export const LATENCY_BOUNDS_MS = [100, 250, 500, 1000, 2000, 4000, 8000, 16000, 32000] as const;

/** Stored name of latency bucket `i` (each counts only its own range, not cumulative). */
export const latencyBucket = (i: number): string =>
  `turn_latency_le_${LATENCY_BOUNDS_MS[i] ?? "inf"}`;

const LATENCY_BUCKETS = Array.from({ length: LATENCY_BOUNDS_MS.length + 1 }, (_, i) =>
  latencyBucket(i),
);

/** The rollup rows of one stored metric summed over a window: `count` and `sum`. */
export interface Totals {
  count: number;
  sum: number;
}

export type TotalsOf = (stored: string) => Totals;

export type MetricUnit = "count" | "ratio" | "usd" | "ms" | "score" | "tokens";

export interface MetricDefinition {
  unit: MetricUnit;
  /** Stored metrics it is computed from. */
  reads: readonly string[];
  /** Null when undefined for the window (a ratio with nothing to divide by). */
  value(totals: TotalsOf): number | null;
  /**
   * How many observations the value rests on (the denominator of a ratio or mean), which
   * alert rules compare with `minSample`; absent for totals, which are never too small.
   */
  sample?(totals: TotalsOf): number;
}

const count = (stored: string): MetricDefinition => ({
  unit: "count",
  reads: [stored],
  value: (t) => t(stored).count,
});

const total = (stored: string, unit: MetricUnit): MetricDefinition => ({
  unit,
  reads: [stored],
  value: (t) => t(stored).sum,
});

/** `numerator / denominator`, each the count (or the sum, for `sum:`) of a stored metric. */
const ratio = (numerator: string, denominator: string, unit: MetricUnit): MetricDefinition => {
  const pick = (name: string, t: TotalsOf) =>
    name.startsWith("sum:") ? t(name.slice(4)).sum : t(name).count;
  const stored = (name: string) => name.replace(/^sum:/, "");
  return {
    unit,
    reads: [...new Set([stored(numerator), stored(denominator)])],
    value: (t) => {
      const d = pick(denominator, t);
      return d === 0 ? null : pick(numerator, t) / d;
    },
    sample: (t) => pick(denominator, t),
  };
};

/** The latency below which `q` of the turns fell, interpolated within its bucket. */
export function histogramQuantile(q: number, buckets: readonly number[]): number | null {
  const n = buckets.reduce((a, b) => a + b, 0);
  if (n === 0) return null;
  const rank = q * n;
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    const inBucket = buckets[i]!;
    if (seen + inBucket >= rank && inBucket > 0) {
      const upper = LATENCY_BOUNDS_MS[i];
      const lower = i === 0 ? 0 : LATENCY_BOUNDS_MS[i - 1]!;
      // The open last bucket has no upper bound: report its lower one, as Prometheus does.
      if (upper === undefined) return lower;
      return lower + ((upper - lower) * (rank - seen)) / inBucket;
    }
    seen += inBucket;
  }
  return LATENCY_BOUNDS_MS.at(-1)!;
}

const latencyP95: MetricDefinition = {
  unit: "ms",
  reads: LATENCY_BUCKETS,
  value: (t) =>
    histogramQuantile(
      0.95,
      LATENCY_BUCKETS.map((b) => t(b).count),
    ),
  sample: (t) => LATENCY_BUCKETS.reduce((n, b) => n + t(b).count, 0),
};

/** Every metric the rollups answer for, by the name the API and rules use (docs/alerts.md). */
export const METRICS = {
  messages_in: count("messages_in"),
  messages_out: count("messages_out"),
  messages_sent: count("messages_sent"),
  messages_delivered: count("messages_delivered"),
  messages_failed: count("messages_failed"),
  conversations: count("conversations"),
  handoffs: count("handoffs"),
  turns: count("turns"),
  turn_errors: count("turn_errors"),
  turn_fallbacks: count("turn_fallbacks"),
  guardrail_blocks: count("guardrail_blocks"),
  guardrail_violations: count("guardrail_violations"),
  tokens_in: total("tokens_in", "tokens"),
  tokens_out: total("tokens_out", "tokens"),
  cost_usd: total("cost", "usd"),
  csat_responses: count("csat"),
  delivery_failure_rate: ratio("messages_failed", "messages_out", "ratio"),
  guardrail_block_rate: ratio("guardrail_blocks", "turns", "ratio"),
  guardrail_violation_rate: ratio("guardrail_violations", "turns", "ratio"),
  handoff_rate: ratio("handoffs", "conversations", "ratio"),
  error_rate: ratio("turn_errors", "turns", "ratio"),
  fallback_rate: ratio("turn_fallbacks", "turns", "ratio"),
  cost_per_conversation: ratio("sum:cost", "conversations", "usd"),
  csat: ratio("sum:csat", "csat", "score"),
  /** Live quality (docs/live-quality.md): conversations judged, their mean overall score 0..1. */
  quality_judged: count("quality_scores"),
  quality_score: ratio("sum:quality_scores", "quality_scores", "score"),
  quality_bad_rate: ratio("quality_bad", "quality_scores", "ratio"),
  latency_ms_mean: ratio("sum:turns", "turns", "ms"),
  latency_ms_p95: latencyP95,
} satisfies Record<string, MetricDefinition>;

export type MetricName = keyof typeof METRICS;

export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];

export const isMetricName = (name: string): name is MetricName => Object.hasOwn(METRICS, name);
