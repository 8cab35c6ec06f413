import type { NotificationItem, Severity } from "../notifiers/notification.ts";
import { METRICS } from "../rollups/metric-catalogue.ts";
import type { Labels } from "../rollups/metric-series.ts";
import type { AlertRule } from "./alert-rules.ts";
import { isLiveMetric, LIVE_METRICS } from "./live-metrics.ts";
import type { Observation } from "./observe-rule.ts";

/** The canonical key of a group's labels, as stored in alert states. */
export const labelsKey = (labels: Labels): string =>
  JSON.stringify(Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b))));

const unitOf = (metric: string): string =>
  isLiveMetric(metric) ? LIVE_METRICS[metric].unit : METRICS[metric as keyof typeof METRICS].unit;

/** A value as a person reads it: 0.237 as a ratio is "23.7%". */
export function formatValue(metric: string, value: number | null): string {
  if (value === null) return "no data";
  switch (unitOf(metric)) {
    case "ratio":
      return `${Number((value * 100).toPrecision(3))}%`;
    case "usd":
      return `$${Number(value.toPrecision(3))}`;
    case "ms":
      return `${Math.round(value)} ms`;
    case "seconds":
      return `${Math.round(value)} s`;
    default:
      return String(Number(value.toPrecision(4)));
  }
}

const windowText = (ms: number) =>
  ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : `${ms / 60_000}m`;

/** "above 20%, more than +100% vs the previous 30m" */
export function describeCondition(rule: AlertRule): string {
  const c = rule.condition;
  const against =
    c.against === "baseline" ? "the baseline version" : `the previous ${windowText(rule.window)}`;
  return [
    c.above !== undefined && `above ${formatValue(rule.metric, c.above)}`,
    c.below !== undefined && `below ${formatValue(rule.metric, c.below)}`,
    c.increase !== undefined && `up more than ${Math.round(c.increase * 100)}% vs ${against}`,
    c.decrease !== undefined && `down more than ${Math.round(c.decrease * 100)}% vs ${against}`,
  ]
    .filter(Boolean)
    .join(", ");
}

const labelText = (labels: Labels) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v === "" ? "(none)" : v}`)
    .join(" ");

/** The notification of an alert that started firing or resolved. */
export function alertNotice(
  rule: AlertRule | undefined,
  alert: { rule: string; labels: Labels; severity: Severity },
  state: "firing" | "resolved",
  o: Observation | undefined,
  at: number,
): Omit<NotificationItem, "incidentId"> {
  const where = labelText(alert.labels);
  const title = `${alert.rule} ${state}${where ? ` (${where})` : ""}`;
  const lines: string[] = [];
  if (rule?.summary && state === "firing") lines.push(rule.summary);
  if (rule && o) {
    const over = isLiveMetric(rule.metric) ? "now" : `over the last ${windowText(rule.window)}`;
    let line = `${rule.metric} is ${formatValue(rule.metric, o.value)} ${over}`;
    if (o.reference) {
      const what = o.reference.version ? `version ${o.reference.version}` : "the previous window";
      line += `, against ${formatValue(rule.metric, o.reference.value)} on ${what}`;
    }
    if (o.sample !== null) line += ` (${o.sample} observations)`;
    lines.push(`${line}.`, `Fires when ${describeCondition(rule)}.`);
  } else if (!rule) {
    lines.push("The rule is no longer configured.");
  }
  return {
    type: `alert.${state}`,
    severity: alert.severity,
    title,
    text: lines.join("\n"),
    labels: Object.fromEntries(Object.entries(alert.labels)) as Record<string, string>,
    at,
    data: {
      rule: alert.rule,
      ...(rule && {
        metric: rule.metric,
        window: windowText(rule.window),
        condition: rule.condition,
      }),
      ...(o && { value: o.value, sample: o.sample, reference: o.reference ?? null }),
    },
  };
}
