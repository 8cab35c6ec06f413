import { useState } from "preact/hooks";
import { api, optional, query } from "../api.ts";
import { time } from "../format.ts";
import type { Incident, Metrics, Page } from "../types.ts";
import { Chart } from "../ui/chart.tsx";
import { Badge, Status } from "../ui/status.tsx";
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

interface AlertState {
  name: string;
  state: string;
  metric?: string;
  since?: string | null;
}

export function Monitoring() {
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
      <Alerts />
      <Incidents />
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
            unit={series[0]?.unit}
            x={m.timestamps}
            series={
              series.length
                ? series.map((s) => ({
                    label: s.labels[props.groupBy] ?? "all",
                    values: s.values,
                  }))
                : [{ label: "no data", values: m.timestamps.map(() => null) }]
            }
          />
        );
      })}
    </div>
  );
}

/** The server's alert rules when it lists them; otherwise open alert incidents stand in. */
function Alerts() {
  const alerts = useLoad(() => optional<{ data: AlertState[] }>("/api/v1/alerts"), []);
  if (!alerts.data) return null;
  return (
    <>
      <h2>Alerts</h2>
      <ul class="rows">
        {alerts.data.data.map((a) => (
          <li key={a.name} class="row">
            {a.name} <Badge kind={a.state}>{a.state}</Badge>
            {a.since && <span class="muted"> since {time(a.since)}</span>}
          </li>
        ))}
      </ul>
    </>
  );
}

function Incidents() {
  const incidents = useLoad(() => api<Page<Incident>>("/api/v1/incidents?limit=20"), []);
  const firing = (incidents.data?.data ?? []).filter(
    (i) => i.status !== "resolved" && i.source !== "manual",
  );
  return (
    <>
      <h2>Incidents</h2>
      <p>
        Alert state:{" "}
        {firing.length ? (
          <Badge kind="firing">{firing.length} firing</Badge>
        ) : (
          <Badge kind="ok">all clear</Badge>
        )}
      </p>
      <Status loading={incidents.loading && !incidents.data} error={incidents.error}>
        {incidents.data?.data.length === 0 && <p class="muted">No incidents.</p>}
        <ul class="rows">
          {(incidents.data?.data ?? []).map((i) => (
            <IncidentRow key={i.id} incident={i} />
          ))}
        </ul>
      </Status>
    </>
  );
}

function IncidentRow(props: { incident: Incident }) {
  const i = props.incident;
  const [open, setOpen] = useState(false);
  const detail = useLoad(
    () => (open ? api<Incident>(`/api/v1/incidents/${i.id}`) : Promise.resolve(undefined)),
    [open, i.id],
  );
  return (
    <li class="row">
      <details onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>
          <Badge kind={i.severity}>{i.severity}</Badge> {i.title}{" "}
          <Badge kind={i.status}>{i.status}</Badge>{" "}
          <span class="muted">
            {i.source} · opened {time(i.openedAt)}
          </span>
        </summary>
        <Status loading={open && detail.loading} error={detail.error}>
          <ol class="timeline">
            {(detail.data?.timeline ?? []).map((e) => (
              <li key={e.seq}>
                <time dateTime={e.at}>{time(e.at)}</time> <code>{e.type}</code>{" "}
                {e.actor && <span class="muted">by {e.actor}</span>}
              </li>
            ))}
          </ol>
        </Status>
      </details>
    </li>
  );
}
