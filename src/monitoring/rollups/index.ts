export { computeRollups, MINUTE_MS } from "./compute-rollups.ts";
export {
  histogramQuantile,
  isMetricName,
  LATENCY_BOUNDS_MS,
  METRIC_NAMES,
  METRICS,
  type MetricDefinition,
  type MetricName,
  type MetricUnit,
} from "./metric-catalogue.ts";
export {
  type Labels,
  type MetricSeries,
  readMetricSeries,
  type SeriesQuery,
} from "./metric-series.ts";
export { closedUntil, type RollupPass, rollUpMinutes } from "./roll-up-minutes.ts";
