import { optional } from "../api.ts";
import { percent } from "../format.ts";
import type { OutcomeLabelled } from "../types.ts";
import { Badge, Status } from "./status.tsx";
import { useLoad } from "./use-load.ts";

/** The labels in the order the server counts them, with how each is drawn (docs/outcomes.md). */
const LABELS: { label: string; name: string; color: string; badge: string }[] = [
  { label: "resolved_confirmed", name: "resolved (confirmed)", color: "#15803d", badge: "ok" },
  { label: "resolved_assumed", name: "resolved (assumed)", color: "#86efac", badge: "ok" },
  { label: "reopened", name: "reopened", color: "#f59e0b", badge: "warning" },
  { label: "escalated", name: "escalated", color: "#6366f1", badge: "warning" },
  { label: "abandoned", name: "abandoned", color: "#dc2626", badge: "failed" },
  { label: "open", name: "open", color: "#9ca3af", badge: "" },
];

interface VersionOutcomes {
  version: string;
  total: number;
  counts: Record<string, number>;
  shares: Record<string, number>;
}

/** A conversation's outcome label, for the thread header. */
export function OutcomeBadge(props: { outcome?: OutcomeLabelled | null }) {
  const o = props.outcome;
  const known = o && LABELS.find((l) => l.label === o.label);
  if (!o || !known) return null;
  return (
    <Badge kind={known.badge} title={`outcome: ${o.reason.replaceAll("_", " ")}`}>
      {known.name}
    </Badge>
  );
}

/** Per version of an agent: its last 7 days of conversations by outcome, as stacked bars. */
export function OutcomeBreakdown(props: { agentId: string }) {
  const loaded = useLoad(
    () =>
      optional<{ data: VersionOutcomes[] }>(
        `/api/v1/agents/${encodeURIComponent(props.agentId)}/outcomes`,
      ),
    [props.agentId],
  );
  const rows = loaded.data?.data ?? [];
  return (
    <Status loading={loaded.loading && !loaded.data} error={loaded.error}>
      {rows.length === 0 ? (
        <p class="muted">No conversations in the last 7 days.</p>
      ) : (
        <table class="outcomes">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Conversations</th>
              <th scope="col">Outcomes</th>
              {LABELS.map((l) => (
                <th scope="col" key={l.label}>
                  {l.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.version}>
                <td>
                  <code>{row.version}</code>
                </td>
                <td>{row.total}</td>
                <td>
                  <StackedBar row={row} />
                </td>
                {LABELS.map((l) => (
                  <td key={l.label}>
                    {row.counts[l.label] ?? 0} ({percent(row.shares[l.label] ?? 0)})
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Status>
  );
}

function StackedBar(props: { row: VersionOutcomes }) {
  const parts = LABELS.filter((l) => (props.row.shares[l.label] ?? 0) > 0);
  const described = parts.map((l) => `${l.name} ${percent(props.row.shares[l.label]!)}`);
  return (
    <span
      class="bar"
      style={{ display: "inline-flex" }}
      role="img"
      aria-label={described.join(", ")}
    >
      {parts.map((l) => (
        <span
          key={l.label}
          title={`${l.name}: ${props.row.counts[l.label]}`}
          style={{ width: percent(props.row.shares[l.label]!), background: l.color }}
        />
      ))}
    </span>
  );
}
