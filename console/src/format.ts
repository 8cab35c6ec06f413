/** Small display helpers shared by the pages. */

export const time = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: "short", timeStyle: "medium" }) : "—";

export function ago(iso: string | null | undefined, now = Date.now()) {
  if (!iso) return "—";
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

export const percent = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;

export const short = (text: string | null | undefined, n = 80) =>
  !text ? "" : text.length > n ? `${text.slice(0, n - 1)}…` : text;
