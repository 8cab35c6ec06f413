import { useMemo } from "preact/hooks";
import type { Quantity } from "../chart-scale.ts";
import type { EvidencePoint, RateGate, RolloutStatus, ValueGate } from "../types.ts";
import { Chart, type ChartSeries } from "./chart.tsx";

type Gate = RateGate | ValueGate;
/** The value gates' units (rollout-spec.ts). */
const VALUE_QUANTITY: Record<string, Quantity> = {
  latency_p95_ms: "ms",
  cost_per_conversation: "usd",
};
const rate = (arm: { n: number; bad: number }) => (arm.n === 0 ? null : arm.bad / arm.n);

/**
 * Each gate's evidence over the rollout's decisions (oldest first), plus the live reading:
 * bad-conversation rates per arm and the harm test's log e-value against its threshold.
 */
export function GateCharts(props: { status: RolloutStatus }) {
  const points = useMemo(() => {
    const history = [...props.status.decisions]
      .reverse()
      .filter((d) => d.evidence?.gates)
      .map((d) => ({ at: Date.parse(d.createdAt), gates: d.evidence!.gates }));
    if (props.status.current?.evidence) {
      history.push({ at: Date.now(), gates: props.status.current.evidence.gates });
    }
    return history;
  }, [props.status]);
  const metrics = [...new Set(points.flatMap((p) => p.gates.map((g) => g.metric)))];
  if (metrics.length === 0) return <p class="muted">No evidence recorded yet.</p>;
  return (
    <div class="charts">
      {metrics.map((metric) => {
        const x = points.map((p) => p.at);
        const gate = (p: (typeof points)[number]) => p.gates.find((g) => g.metric === metric);
        const latest = gate(points.at(-1)!);
        const path = props.status.paths?.[metric];
        return (
          <div key={metric} class="gate">
            {path && path.length > 0 ? (
              <PathCharts
                metric={metric}
                path={path}
                threshold={latest?.kind === "rate" ? (latest.harm["threshold"] as number) : null}
              />
            ) : (
              <GateChart metric={metric} x={x} gates={points.map(gate)} />
            )}
            {latest && <p class="muted">verdict now: {latest.verdict}</p>}
          </div>
        );
      })}
    </div>
  );
}

/**
 * A rate gate conversation by conversation: each arm's bad-conversation rate, and the harm
 * test's log e-value climbing towards the level where the rollout rolls back.
 */
function PathCharts(props: { metric: string; path: EvidencePoint[]; threshold: number | null }) {
  const x = useMemo(() => props.path.map((p) => p.conversations), [props.path]);
  const rates = useMemo(
    (): ChartSeries[] => [
      { label: "baseline rate", values: props.path.map((p) => rate(p.baseline)) },
      { label: "candidate rate", values: props.path.map((p) => rate(p.candidate)) },
    ],
    [props.path],
  );
  const harm = useMemo(
    (): ChartSeries[] => [
      { label: "harm log e", values: props.path.map((p) => p.logE) },
      ...(props.threshold === null
        ? []
        : [{ label: "rollback at", values: props.path.map(() => props.threshold), dash: true }]),
    ],
    [props.path, props.threshold],
  );
  return (
    <>
      <Chart
        title={`${props.metric}: bad conversations`}
        x={x}
        xQuantity="conversations"
        y="ratio"
        series={rates}
      />
      <Chart
        title={`${props.metric}: harm evidence`}
        x={x}
        xQuantity="conversations"
        y="log-e"
        series={harm}
      />
    </>
  );
}

function GateChart(props: { metric: string; x: number[]; gates: (Gate | undefined)[] }) {
  const series = useMemo((): ChartSeries[] => {
    const g = props.gates;
    if (g.some((x) => x?.kind === "value")) {
      const values = g.map((x) => (x?.kind === "value" ? x.value : null));
      const max = g.map((x) => (x?.kind === "value" ? x.max : null));
      return [
        { label: "candidate", values },
        { label: "max", values: max, dash: true },
      ];
    }
    const rates = g.map((x) => (x?.kind === "rate" ? x : undefined));
    return [
      { label: "baseline rate", values: rates.map((x) => (x ? rate(x.baseline) : null)) },
      { label: "candidate rate", values: rates.map((x) => (x ? rate(x.candidate) : null)) },
    ];
  }, [props.gates]);
  const harm = useMemo((): ChartSeries[] => {
    const rates = props.gates.map((x) => (x?.kind === "rate" ? x : undefined));
    return [
      { label: "harm log e", values: rates.map((x) => (x?.harm["logE"] as number) ?? null) },
      {
        label: "rollback at",
        values: rates.map((x) => (x?.harm["threshold"] as number) ?? null),
        dash: true,
      },
    ];
  }, [props.gates]);
  const isRate = props.gates.some((x) => x?.kind === "rate");
  return (
    <>
      <Chart
        title={isRate ? `${props.metric}: bad conversations` : props.metric}
        x={props.x}
        y={isRate ? "ratio" : (VALUE_QUANTITY[props.metric] ?? "count")}
        series={series}
      />
      {isRate && (
        <Chart title={`${props.metric}: harm evidence`} x={props.x} y="log-e" series={harm} />
      )}
    </>
  );
}
