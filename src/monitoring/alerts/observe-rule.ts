import type { Store } from "../../store/index.ts";
import { METRICS } from "../rollups/metric-catalogue.ts";
import { type Labels, readMetricSeries } from "../rollups/metric-series.ts";
import type { AlertCondition, AlertRule } from "./alert-rules.ts";
import { isLiveMetric, readLiveMetric } from "./live-metrics.ts";

/** A rule's metric for one group over the window that just ended. */
export interface Observation {
  labels: Labels;
  /** Null when there was nothing to measure (a ratio with no denominator). */
  value: number | null;
  /** Null for totals, which are never too small to judge. */
  sample: number | null;
  /** What a change condition compares with (previous window or baseline version). */
  reference?: { value: number | null; sample: number | null; version?: string };
}

export type Verdict = "firing" | "ok" | "insufficient";

/** Every group's observation for `rule` over the window ending at `end`. */
export async function observeRule(
  store: Store,
  rule: AlertRule,
  end: number,
  now: number,
): Promise<Observation[]> {
  if (isLiveMetric(rule.metric)) {
    const value = await readLiveMetric(store.db, rule.metric, rule.window, now);
    return [{ labels: {}, value, sample: null }];
  }
  const metric = rule.metric;
  const windows = rule.condition.against === "previous" ? 2 : 1;
  const baseline = rule.condition.against === "baseline";
  const series = await readMetricSeries(store, {
    metrics: [metric],
    from: end - windows * rule.window,
    to: end,
    stepMs: rule.window,
    filter: {},
    groupBy: baseline ? [...rule.groupBy, "version"] : rule.groupBy,
  });
  const observations = series.map((s) => {
    const current: Observation = {
      labels: s.labels,
      value: s.values.at(-1) ?? null,
      sample: s.samples?.at(-1) ?? null,
    };
    if (windows === 2) {
      current.reference = { value: s.values[0] ?? null, sample: s.samples?.[0] ?? null };
    }
    return current;
  });
  return baseline ? againstBaseline(store, observations) : observations;
}

/**
 * Each version compared with its agent's active version (the one serving new
 * conversations, which a rollout keeps until it promotes). The baseline itself is not judged.
 */
async function againstBaseline(store: Store, observations: Observation[]) {
  const actives = new Map<string, string | undefined>();
  const activeOf = async (agent: string) => {
    if (!actives.has(agent)) actives.set(agent, (await store.agentVersions.active(agent))?.version);
    return actives.get(agent);
  };
  const key = (labels: Labels) => JSON.stringify({ ...labels, version: undefined });
  const judged: Observation[] = [];
  for (const o of observations) {
    const active = await activeOf(o.labels.agent ?? "");
    if (active === undefined || o.labels.version === active) continue;
    const base = observations.find(
      (b) => b.labels.version === active && key(b.labels) === key(o.labels),
    );
    judged.push({
      ...o,
      reference: { value: base?.value ?? null, sample: base?.sample ?? null, version: active },
    });
  }
  return judged;
}

/** The observation of a group that has no rows in the window any more. */
export function emptyObservation(rule: AlertRule, labels: Labels): Observation {
  if (isLiveMetric(rule.metric)) return { labels, value: 0, sample: null };
  const none = () => ({ count: 0, sum: 0 });
  const definition = METRICS[rule.metric];
  return {
    labels,
    value: definition.value(none),
    sample: "sample" in definition ? 0 : null,
  };
}

/**
 * Firing when every part of the condition holds. A window without anything to measure is
 * `ok` (traffic stopped: the alert resolves); one with too few observations, or with no
 * reference to compare with, is `insufficient` (the alert keeps its state).
 */
export function judge(rule: AlertRule, o: Observation): Verdict {
  if (o.value === null) return "ok";
  if (o.sample !== null && o.sample < rule.minSample) return "insufficient";
  const { reference } = o;
  if (rule.condition.against) {
    if (!reference || reference.value === null) return "insufficient";
    if (reference.sample !== null && reference.sample < rule.minSample) return "insufficient";
  }
  return holds(rule.condition, o.value, reference?.value ?? null) ? "firing" : "ok";
}

export function holds(c: AlertCondition, value: number, reference: number | null): boolean {
  return (
    (c.above === undefined || value > c.above) &&
    (c.below === undefined || value < c.below) &&
    (c.increase === undefined || (reference !== null && value > reference * (1 + c.increase))) &&
    (c.decrease === undefined || (reference !== null && value < reference * (1 - c.decrease)))
  );
}
