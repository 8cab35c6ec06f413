export {
  type AlertCondition,
  type AlertRule,
  type AlertsConfig,
  alertsConfigSchema,
} from "./alert-rules.ts";
export { BUILTIN_RULES } from "./builtin-rules.ts";
export { type AlertTransition, evaluateAlerts } from "./evaluate-alerts.ts";
export { LIVE_METRICS, type LiveMetricName } from "./live-metrics.ts";
export { Monitor, type MonitorOptions, type TickResult } from "./monitor.ts";
