import { type Html, html } from "../../evaluation/index.ts";

export interface BarRow {
  label: string;
  /** One share (0..1) per series. */
  values: readonly number[];
  /** Shown after each bar instead of the percentage, per series. */
  notes?: readonly string[];
}

const WIDTH = 640;
const LABEL_W = 220;
const BAR_H = 12;
const TOP = 30;
const LEGEND_H = 24;

/**
 * Horizontal bars of shares (0..1), one group per row and one bar per series, as inline
 * SVG (no script, no CDN), so long scenario names fit on the left.
 */
export function shareBarsSvg(
  title: string,
  series: readonly { label: string; color: string }[],
  rows: readonly BarRow[],
): Html {
  const groupH = series.length * BAR_H + 10;
  const height = TOP + rows.length * groupH + LEGEND_H;
  const plotW = WIDTH - LABEL_W - 60;
  const bars = rows.map((row, r) => {
    const y0 = TOP + r * groupH;
    const label = row.label.length > 32 ? `${row.label.slice(0, 31)}…` : row.label;
    return html`<text x="${LABEL_W - 8}" y="${y0 + (series.length * BAR_H) / 2 + 4}" text-anchor="end" fill="#1f2328">${label}</text>
${series.map((s, i) => {
  const value = row.values[i] ?? 0;
  const y = y0 + i * BAR_H;
  const w = Math.max(value * plotW, value > 0 ? 1 : 0);
  const note = row.notes?.[i] ?? `${Math.round(value * 100)}%`;
  return html`<rect x="${LABEL_W}" y="${y}" width="${w.toFixed(1)}" height="${BAR_H - 2}" fill="${s.color}"><title>${s.label}: ${note}</title></rect><text x="${(LABEL_W + w + 4).toFixed(1)}" y="${y + BAR_H - 3}">${note}</text>`;
})}`;
  });
  const legend = series.map(
    (s, i) =>
      html`<rect x="${LABEL_W + i * 160}" y="${height - 14}" width="10" height="10" fill="${s.color}"/><text x="${LABEL_W + i * 160 + 14}" y="${height - 5}">${s.label}</text>`,
  );
  return html`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="11" fill="#57606a" role="img" aria-label="${title}">
<text x="8" y="16" font-size="13" font-weight="600" fill="#1f2328">${title}</text>
<line x1="${LABEL_W}" y1="${TOP - 4}" x2="${LABEL_W}" y2="${height - LEGEND_H}" stroke="#d0d7de"/>
<line x1="${LABEL_W + plotW}" y1="${TOP - 4}" x2="${LABEL_W + plotW}" y2="${height - LEGEND_H}" stroke="#d0d7de" stroke-dasharray="3 3"/>
${bars}${legend}
</svg>`;
}
