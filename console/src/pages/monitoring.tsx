import { useState } from "preact/hooks";
import { api, can, query, type Session } from "../api.ts";
import { quantityOfMetric, quantityOfUnit } from "../chart-scale.ts";
import { useControlChanges } from "../live.ts";
import type { AlertRuleState, Incident, Metrics, Page } from "../types.ts";
import { AlertState } from "../ui/alert-state.tsx";
import { Chart } from "../ui/chart.tsx";
import { IncidentList } from "../ui/incident-list.tsx";
import { Status } from "../ui/status.tsx";
import { useLoad } from "../ui/use-load.ts";

/** The key figures (docs/alerts.md names); each chart is one metric, one line per label. */
const KEY_METRICS = [
  "messages_in",
  "turns",
  "error_rate",
  "handoff_rate",
  "guardrail_violation_rate",
  "delivery_failure_rate",
  "latency_ms_p95",
  "cost_usd",
];

const RANGES = [
  { label: "last hour", minutes: 60, step: 60 },
  { label: "last 6 hours", minutes: 360, step: 300 },
  { label: "last day", minutes: 1440, step: 1800 },
];

export function Monitoring(props: { session: Session }) {
  const [groupBy, setGroupBy] = useState<"channel" | "version">("channel");
  const [range, setRange] = useState(0);
  const r = RANGES[range]!;
  const metrics = useLoad(() => {
    const to = Date.now();
    return api<Metrics>(
      `/api/v1/metrics${query({
        metric: KEY_METRICS.join(","),
        groupBy,
        from: to - r.minutes * 60_000,
        to,
        step: r.step,
      })}`,
    );
  }, [groupBy, range]);
  return (
    <section aria-labelledby="monitoring-title">
      <h1 id="monitoring-title">Monitoring</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Per
          <select
            value={groupBy}
            onChange={(e) => setGroupBy(e.currentTarget.value as "channel" | "version")}
          >
            <option value="channel">channel</option>
            <option value="version">agent version</option>
          </select>
        </label>
        <label>
          Range
          <select value={range} onChange={(e) => setRange(Number(e.currentTarget.value))}>
            {RANGES.map((x, i) => (
              <option key={x.label} value={i}>
                {x.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={metrics.reload}>
          Refresh
        </button>
      </form>
      <Status loading={metrics.loading && !metrics.data} error={metrics.error}>
        {metrics.data && <MetricCharts metrics={metrics.data} groupBy={groupBy} />}
      </Status>
      <AlertsAndIncidents admin={can(props.session, "admin")} />
    </section>
  );
}

function MetricCharts(props: { metrics: Metrics; groupBy: string }) {
  const m = props.metrics;
  return (
    <div class="charts">
      {KEY_METRICS.map((name) => {
        const series = m.series.filter((s) => s.metric === name);
        return (
          <Chart
            key={`${name}-${m.from}`}
            title={name}
            y={series[0] ? quantityOfUnit(series[0].unit) : quantityOfMetric(name)}
            x={m.timestamps}
            series={series.map((s) => ({
              label: s.labels[props.groupBy] ?? "all",
              values: s.values,
            }))}
          />
        );
      })}
    </div>
  );
}

/** Alert rules and incidents, read again whenever the stream says either changed. */
function AlertsAndIncidents(props: { admin: boolean }) {
  const alerts = useLoad(() => api<{ data: AlertRuleState[] }>("/api/v1/alerts"), []);
  const incidents = useLoad(() => api<Page<Incident>>("/api/v1/incidents?limit=20"), []);
  const [version, setVersion] = useState(0);
  useControlChanges(["alert", "incident"], () => {
    alerts.reload();
    incidents.reload();
    setVersion((v) => v + 1);
  });
  return (
    <>
      <h2>Alerts</h2>
      <Status loading={alerts.loading && !alerts.data} error={alerts.error}>
        {alerts.data && <AlertState rules={alerts.data.data} />}
      </Status>
      <h2>Incidents</h2>
      <Status loading={incidents.loading && !incidents.data} error={incidents.error}>
        {incidents.data && (
          <IncidentList
            incidents={incidents.data.data}
            admin={props.admin}
            version={version}
            onChanged={incidents.reload}
          />
        )}
      </Status>
    </>
  );
}
