import type { RollupAggregate, RollupDimension, Store } from "../../store/index.ts";
import { METRICS, type MetricName, type Totals } from "./metric-catalogue.ts";

export type Labels = Partial<Record<RollupDimension, string>>;

export interface SeriesQuery {
  metrics: readonly MetricName[];
  /** Minute-aligned range [from, to), cut into slots of `stepMs`. */
  from: number;
  to: number;
  stepMs: number;
  filter: Labels;
  groupBy: readonly RollupDimension[];
}

export interface MetricSeries {
  metric: MetricName;
  labels: Labels;
  /** One value per slot; null where the metric is undefined (nothing to divide by). */
  values: (number | null)[];
  /** Observations behind each value, for metrics that have a sample size. */
  samples?: number[];
}

const NONE: Totals = { count: 0, sum: 0 };
const DIMENSIONS: readonly RollupDimension[] = ["agent", "version", "channel"];

/**
 * Series of the named metrics, one per group found in the rollups (one ungrouped series
 * even without data, so a chart has its axis). Summing happens in the database; only the
 * per-slot totals come back.
 */
export async function readMetricSeries(store: Store, query: SeriesQuery): Promise<MetricSeries[]> {
  const reads = [...new Set(query.metrics.flatMap((m) => METRICS[m].reads))];
  const slots = Math.ceil((query.to - query.from) / query.stepMs);
  // A version belongs to its agent (the built-in agent's "1" is every agent's "1").
  const wanted = new Set<RollupDimension>(query.groupBy);
  if (wanted.has("version")) wanted.add("agent");
  const groupBy = DIMENSIONS.filter((d) => wanted.has(d));
  const rows = await store.metricRollups.aggregate({ ...query, groupBy, metrics: reads });
  const groups = groupRows(rows);
  const series: MetricSeries[] = [];
  for (const metric of query.metrics) {
    const definition = METRICS[metric];
    const sample = "sample" in definition ? definition.sample : undefined;
    let found = [...groups.values()].filter((g) => definition.reads.some((r) => g.stored.has(r)));
    if (found.length === 0 && groupBy.length === 0) found = [emptyGroup()];
    for (const group of found) {
      const values: (number | null)[] = [];
      const samples: number[] = [];
      for (let slot = 0; slot < slots; slot++) {
        const totals = (stored: string) => group.totals.get(`${slot}:${stored}`) ?? NONE;
        values.push(definition.value(totals));
        if (sample) samples.push(sample(totals));
      }
      series.push({
        metric,
        labels: group.labels,
        values,
        ...(sample && { samples }),
      });
    }
  }
  return series;
}

interface Group {
  labels: Labels;
  stored: Set<string>;
  /** `slot:stored` → totals. */
  totals: Map<string, Totals>;
}

const emptyGroup = (): Group => ({ labels: {}, stored: new Set(), totals: new Map() });

function groupRows(rows: RollupAggregate[]): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const row of rows) {
    const key = JSON.stringify(row.group);
    let group = groups.get(key);
    if (!group) {
      group = { ...emptyGroup(), labels: row.group };
      groups.set(key, group);
    }
    group.stored.add(row.metric);
    group.totals.set(`${row.slot}:${row.metric}`, { count: row.count, sum: row.sum });
  }
  return groups;
}
