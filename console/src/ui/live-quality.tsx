import { optional } from "../api.ts";
import { percent } from "../format.ts";
import { Status } from "./status.tsx";
import { useLoad } from "./use-load.ts";

interface VersionQuality {
  version: string;
  judged: number;
  pending: number;
  score: number | null;
  criteria: Record<string, number | null>;
  bad: number;
  badShare: number | null;
  sampledBecause: Record<string, number>;
}

interface QualityResponse {
  data: VersionQuality[];
  judgeToday: { calls: number; tokens: number };
}

const score = (value: number | null) => (value === null ? "–" : value.toFixed(2));

/**
 * Per version of an agent: the judge's scores of sampled live conversations over the last
 * 7 days (docs/live-quality.md); nothing when live quality is not configured.
 */
export function LiveQuality(props: { agentId: string }) {
  const loaded = useLoad(
    () => optional<QualityResponse>(`/api/v1/agents/${encodeURIComponent(props.agentId)}/quality`),
    [props.agentId],
  );
  const rows = loaded.data?.data ?? [];
  const criteria = [...new Set(rows.flatMap((r) => Object.keys(r.criteria)))].sort();
  return (
    <Status loading={loaded.loading && !loaded.data} error={loaded.error}>
      {rows.length === 0 ? (
        <p class="muted">No judged conversations in the last 7 days.</p>
      ) : (
        <>
          <table class="quality">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Judged</th>
                <th scope="col">Score</th>
                {criteria.map((c) => (
                  <th scope="col" key={c}>
                    {c.replaceAll("_", " ")}
                  </th>
                ))}
                <th scope="col">Bad</th>
                <th scope="col">Waiting</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.version}>
                  <td>
                    <code>{row.version}</code>
                  </td>
                  <td>{row.judged}</td>
                  <td>
                    <ScoreBar value={row.score} />
                  </td>
                  {criteria.map((c) => (
                    <td key={c}>{score(row.criteria[c] ?? null)}</td>
                  ))}
                  <td>
                    {row.bad} ({row.badShare === null ? "–" : percent(row.badShare)})
                  </td>
                  <td>{row.pending}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="muted">
            Judge today: {loaded.data?.judgeToday.calls ?? 0} calls,{" "}
            {loaded.data?.judgeToday.tokens ?? 0} tokens
          </p>
        </>
      )}
    </Status>
  );
}

/** The mean overall score, 0..1, as a bar and its figure. */
function ScoreBar(props: { value: number | null }) {
  if (props.value === null) return <span>–</span>;
  const color = props.value >= 0.75 ? "#15803d" : props.value >= 0.5 ? "#f59e0b" : "#dc2626";
  return (
    <span>
      <span class="bar" role="img" aria-label={`mean score ${score(props.value)}`}>
        <span style={{ width: percent(props.value), background: color }} />
      </span>{" "}
      {score(props.value)}
    </span>
  );
}
