export { boundedLabel } from "./bounded-label.ts";
export { createMetrics, type MainstayMetrics, type MetricsOptions } from "./mainstay-metrics.ts";
export { meterGuard } from "./metered-guard.ts";
export { meterIntake } from "./metered-intake.ts";
export { meterJobs } from "./metered-jobs.ts";
export { type CostOf, meterProvider } from "./metered-provider.ts";
export { meterSends } from "./metered-sends.ts";
export { type MetricsConfig, metricsConfigSchema } from "./metrics-config.ts";
export type { RolloutStep, WatchedBreaker } from "./scrape-time-gauges.ts";
