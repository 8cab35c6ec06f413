/**
 * One scale per quantity, the same on every chart: rates in percent (the API's ratios
 * times 100), counts on whole-number ticks, money in USD, latency in milliseconds.
 */
export type Quantity =
  | "ratio"
  | "count"
  | "conversations"
  | "usd"
  | "ms"
  | "seconds"
  | "score"
  | "tokens"
  | "log-e";

export interface Scale {
  /** The axis title: the unit, or what is counted. */
  label: string;
  /** Multiplies the API's value into what the axis shows (ratios to percent). */
  factor: number;
  /** Whole numbers only: ticks at 1, 2, 5, 10, ... never half a conversation. */
  integer: boolean;
  /** A shown value (already multiplied by `factor`) with its unit. */
  format(value: number): string;
  /** The axis range for shown values from `min` to `max`. */
  range(min: number, max: number): [number, number];
}

/** The smallest of 1, 2 and 5 times a power of ten that is at least `x`. */
export function niceCeil(x: number): number {
  if (!(x > 0)) return 0;
  const power = 10 ** Math.floor(Math.log10(x));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= x * (1 - 1e-9)) return step * power;
  }
  return 10 * power;
}

/** Tick increments for whole-number axes (uPlot `incrs`). */
export const INTEGER_INCREMENTS = Array.from({ length: 10 }, (_, i) => 10 ** i).flatMap((p) => [
  p,
  2 * p,
  5 * p,
]);

const fromZero =
  (least: number) =>
  (_min: number, max: number): [number, number] => [0, Math.max(least, niceCeil(max))];

const decimals = (value: number, places: number) =>
  Number.isInteger(value) ? String(value) : value.toFixed(places);

const SCALES: Record<Quantity, Scale> = {
  ratio: {
    label: "%",
    factor: 100,
    integer: false,
    format: (v) => `${decimals(v, v < 10 ? 1 : 0)} %`,
    // From 0, at least to 10 % so a small rate is not drawn as a cliff; never past 100 %.
    range: (_min, max) => [0, Math.min(100, Math.max(10, niceCeil(max)))],
  },
  count: {
    label: "count",
    factor: 1,
    integer: true,
    format: (v) => String(Math.round(v)),
    range: fromZero(1),
  },
  conversations: {
    label: "conversations",
    factor: 1,
    integer: true,
    format: (v) => `${Math.round(v)} conversations`,
    range: fromZero(1),
  },
  tokens: {
    label: "tokens",
    factor: 1,
    integer: true,
    format: (v) => `${Math.round(v)} tokens`,
    range: fromZero(1),
  },
  usd: {
    label: "USD",
    factor: 1,
    integer: false,
    format: (v) => `$${v.toFixed(v !== 0 && Math.abs(v) < 1 ? 4 : 2)}`,
    range: fromZero(0.01),
  },
  ms: {
    label: "ms",
    factor: 1,
    integer: false,
    format: (v) => `${Math.round(v)} ms`,
    range: fromZero(1),
  },
  seconds: {
    label: "s",
    factor: 1,
    integer: false,
    format: (v) => `${decimals(v, 1)} s`,
    range: fromZero(1),
  },
  score: {
    label: "score (1-5)",
    factor: 1,
    integer: false,
    format: (v) => v.toFixed(2),
    range: () => [0, 5],
  },
  "log-e": {
    label: "log e-value",
    factor: 1,
    integer: false,
    format: (v) => v.toFixed(2),
    range: (min, max) => [Math.min(0, min), Math.max(1, max)],
  },
};

export const scaleOf = (quantity: Quantity): Scale => SCALES[quantity];

/** The API's metric units (`GET /api/v1/metrics`) as chart quantities. */
export function quantityOfUnit(unit: string | undefined): Quantity {
  return unit !== undefined && unit in SCALES ? (unit as Quantity) : "count";
}

/**
 * The unit of a metric by its name (docs/alerts.md): rates end in `_rate`, latency and
 * cost say so, `_seconds` is seconds; the rest are counts. For alert values, which come without a unit.
 */
export function quantityOfMetric(metric: string): Quantity {
  if (metric.endsWith("_rate")) return "ratio";
  if (metric.startsWith("latency")) return "ms";
  if (metric.endsWith("_seconds")) return "seconds";
  if (metric.startsWith("cost")) return "usd";
  if (metric.startsWith("tokens")) return "tokens";
  if (metric === "csat") return "score";
  return "count";
}

/** An API value (a ratio, a count...) as a person reads it, or "no data". */
export function reading(quantity: Quantity, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "no data";
  const scale = SCALES[quantity];
  return scale.format(value * scale.factor);
}
