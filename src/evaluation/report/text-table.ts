/** Columns padded to their widest cell; the last column is left ragged. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join("\n")}\n`;
}

/** One line of a cell: newlines folded, cut at `max` characters. */
export function cell(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export const percent = (rate: number) => `${Math.round(rate * 1000) / 10}%`;
export const usd = (value: number) =>
  `$${value < 0.01 && value > 0 ? value.toPrecision(2) : value.toFixed(4)}`;
