import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { INTEGER_INCREMENTS, type Quantity, reading, scaleOf } from "../chart-scale.ts";

const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4b5563"];

export interface ChartSeries {
  label: string;
  /** The API's values (ratios, not percent); null where there is no reading. */
  values: (number | null)[];
  dash?: boolean;
}

const lastIndex = (values: (number | null)[]) => {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null) return i;
  return -1;
};

/**
 * A small uPlot line chart with a unit on each axis. x is epoch milliseconds, or a count
 * of conversations; y is one quantity (chart-scale.ts). The legend shows the reading under
 * the pointer, else the latest one, or "no data". Resizes with its container.
 */
export function Chart(props: {
  title: string;
  x: number[];
  /** What x counts: time (default) or conversations. */
  xQuantity?: "time" | "conversations";
  y: Quantity;
  series: ChartSeries[];
}) {
  const box = useRef<HTMLDivElement>(null);
  const byTime = (props.xQuantity ?? "time") === "time";
  const empty = props.series.every((s) => lastIndex(s.values) < 0);
  useEffect(() => {
    const el = box.current;
    if (!el || empty) return;
    const y = scaleOf(props.y);
    const xScale = scaleOf("conversations");
    const width = () => Math.max(240, el.clientWidth);
    const xs = byTime ? props.x.map((t) => t / 1000) : props.x;
    const shown = props.series.map((s) => s.values.map((v) => (v === null ? null : v * y.factor)));
    const plot = new uPlot(
      {
        width: width(),
        height: 180,
        scales: {
          // One point (a rollout's first reading) still gets a readable time axis.
          x: byTime
            ? {
                time: true,
                range: (_u, min, max) => (min === max ? [min - 300, max + 300] : [min, max]),
              }
            : { time: false, range: (_u, min, max) => xScale.range(min, max) },
          y: { range: (_u, min, max) => y.range(min, max) },
        },
        series: [
          {
            label: byTime ? "time" : xScale.label,
            value: (_u, _v, _s, idx) => {
              const x = xs[idx ?? xs.length - 1];
              if (x === undefined) return "no data";
              return byTime ? new Date(x * 1000).toLocaleTimeString() : String(x);
            },
          },
          ...props.series.map((s, i) => ({
            label: s.label,
            stroke: COLORS[i % COLORS.length],
            width: 2,
            dash: s.dash ? [6, 4] : undefined,
            spanGaps: true,
            points: { show: true, size: 6 },
            value: (_u: uPlot, _v: number | null, _s: number, idx: number | null) => {
              const at = idx ?? lastIndex(s.values);
              return reading(props.y, at < 0 ? null : s.values[at]);
            },
          })),
        ],
        axes: [
          byTime
            ? { label: "time" }
            : {
                label: xScale.label,
                incrs: INTEGER_INCREMENTS,
                values: (_u, ticks) => ticks.map((t) => String(t)),
              },
          {
            label: y.label,
            size: 56,
            ...(y.integer && { incrs: INTEGER_INCREMENTS }),
            values: (_u, ticks) => ticks.map((t) => (y.integer ? String(t) : `${+t.toFixed(4)}`)),
          },
        ],
      },
      [xs, ...shown] as uPlot.AlignedData,
      el,
    );
    const observer = new ResizeObserver(() => plot.setSize({ width: width(), height: 180 }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [props.x, props.series, props.y, byTime, empty]);
  return (
    <figure class="chart">
      <figcaption>
        {props.title} <span class="muted">({scaleOf(props.y).label})</span>
      </figcaption>
      {empty ? (
        <p class="muted no-data">No data in this range.</p>
      ) : (
        <div ref={box} role="img" aria-label={`${props.title} chart, ${scaleOf(props.y).label}`} />
      )}
    </figure>
  );
}
