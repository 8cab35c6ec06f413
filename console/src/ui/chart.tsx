import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4b5563"];

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  dash?: boolean;
}

/** A small uPlot line chart; x is epoch milliseconds. Resizes with its container. */
export function Chart(props: {
  title: string;
  /** Epoch milliseconds, unless `xLabel` names another quantity. */
  x: number[];
  series: ChartSeries[];
  unit?: string;
  xLabel?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const width = () => Math.max(240, el.clientWidth);
    const plot = new uPlot(
      {
        width: width(),
        height: 180,
        scales: {
          // One point (a rollout's first reading) still gets a readable time axis.
          x: props.xLabel
            ? { time: false }
            : {
                time: true,
                range: (_u, min, max) => (min === max ? [min - 300, max + 300] : [min, max]),
              },
        },
        series: [
          {},
          ...props.series.map((s, i) => ({
            label: s.label,
            stroke: COLORS[i % COLORS.length],
            width: 2,
            dash: s.dash ? [6, 4] : undefined,
            spanGaps: true,
            points: { show: true, size: 6 },
          })),
        ],
        axes: [props.xLabel ? { label: props.xLabel } : {}, { label: props.unit, size: 50 }],
      },
      [
        props.xLabel ? props.x : props.x.map((t) => t / 1000),
        ...props.series.map((s) => s.values),
      ] as uPlot.AlignedData,
      el,
    );
    const observer = new ResizeObserver(() => plot.setSize({ width: width(), height: 180 }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [props.x, props.series, props.unit, props.xLabel]);
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <div ref={box} role="img" aria-label={`${props.title} chart`} />
    </figure>
  );
}
