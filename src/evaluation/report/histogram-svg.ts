import { type Html, html } from "./html-page.ts";

export interface Series {
  label: string;
  /** A CSS colour. */
  color: string;
  values: readonly number[];
}

const WIDTH = 460;
const HEIGHT = 220;
const PAD = { left: 40, right: 12, top: 28, bottom: 42 };
const BINS = 10;

/**
 * A histogram of one or more series on shared bins, as inline SVG (no script, no CDN):
 * bars side by side per bin, counts on the y axis, bin edges on the x axis.
 */
export function histogramSvg(title: string, unit: string, series: Series[]): Html {
  const all = series.flatMap((s) => s.values);
  const min = all.length ? Math.min(...all) : 0;
  const max = all.length ? Math.max(...all) : 1;
  const span = max > min ? max - min : 1;
  const binOf = (v: number) => Math.min(BINS - 1, Math.floor(((v - min) / span) * BINS));
  const counts = series.map((s) => {
    const bins = new Array<number>(BINS).fill(0);
    for (const v of s.values) bins[binOf(v)]!++;
    return bins;
  });
  const top = Math.max(1, ...counts.flat());
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const binW = plotW / BINS;
  const barW = (binW - 4) / Math.max(1, series.length);
  const y = (n: number) => PAD.top + plotH - (n / top) * plotH;
  const bars = counts.flatMap((bins, s) =>
    bins.map((n, b) =>
      n === 0
        ? ""
        : html`<rect x="${(PAD.left + b * binW + 2 + s * barW).toFixed(1)}" y="${y(n).toFixed(1)}" width="${barW.toFixed(1)}" height="${(PAD.top + plotH - y(n)).toFixed(1)}" fill="${series[s]!.color}"><title>${series[s]!.label}: ${n}</title></rect>`,
    ),
  );
  const ticks = [0, BINS / 2, BINS].map(
    (b) =>
      html`<text x="${PAD.left + b * binW}" y="${HEIGHT - PAD.bottom + 14}" text-anchor="middle">${format(min + (b / BINS) * span)}</text>`,
  );
  const legend = series.map(
    (s, i) =>
      html`<rect x="${PAD.left + i * 180}" y="${HEIGHT - 14}" width="10" height="10" fill="${s.color}"/><text x="${PAD.left + i * 180 + 14}" y="${HEIGHT - 5}">${s.label} (${s.values.length})</text>`,
  );
  return html`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, sans-serif" font-size="11" fill="#57606a" role="img" aria-label="${title}">
<text x="${PAD.left}" y="16" font-size="13" font-weight="600" fill="#1f2328">${title} (${unit})</text>
<line x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${WIDTH - PAD.right}" y2="${PAD.top + plotH}" stroke="#d0d7de"/>
<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${PAD.top + plotH}" stroke="#d0d7de"/>
<text x="${PAD.left - 6}" y="${PAD.top + 4}" text-anchor="end">${top}</text>
<text x="${PAD.left - 6}" y="${PAD.top + plotH}" text-anchor="end">0</text>
${bars}${ticks}${legend}
</svg>`;
}

function format(v: number): string {
  if (v === 0) return "0";
  if (Math.abs(v) >= 100) return v.toFixed(0);
  if (Math.abs(v) >= 1) return v.toFixed(1);
  return v.toPrecision(2);
}
