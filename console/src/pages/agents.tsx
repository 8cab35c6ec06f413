import { useState } from "preact/hooks";
import { api, can, optional, type Session } from "../api.ts";
import { percent, time } from "../format.ts";
import { useControlChanges } from "../live.ts";
import { BASE, onLinkClick } from "../router.ts";
import type { Conversation, Kill, Page, Rollout, RolloutStatus } from "../types.ts";
import { ConfirmButton } from "../ui/confirm-button.tsx";
import { KillSwitch } from "../ui/kill-switch.tsx";
import { LiveQuality } from "../ui/live-quality.tsx";
import { OutcomeBreakdown } from "../ui/outcome-labels.tsx";
import { Badge, Status } from "../ui/status.tsx";
import { useLoad } from "../ui/use-load.ts";
import { VersionDiff } from "../ui/version-diff.tsx";

interface Versions {
  agentId: string;
  active: string | null;
  data: { version: string; createdAt: string; active: boolean }[];
}

/** Agent ids: the server's list when it has one, else every id the other lists mention. */
async function agentIds(): Promise<string[]> {
  const listed = await optional<{ data: { id: string }[] }>("/api/v1/agents");
  if (listed) return listed.data.map((a) => a.id);
  const [kills, rollouts, conversations] = await Promise.all([
    api<{ data: Kill[] }>("/api/v1/kills"),
    api<{ data: Rollout[] }>("/api/v1/rollouts"),
    api<Page<Conversation>>("/api/v1/conversations?limit=200"),
  ]);
  const ids = new Set([
    ...kills.data.map((k) => k.agentId),
    ...rollouts.data.map((r) => r.agentId),
    ...conversations.data.flatMap((c) => (c.agent ? [c.agent.id] : [])),
  ]);
  return [...ids].sort();
}

export function Agents(props: { session: Session; selected?: string }) {
  const ids = useLoad(agentIds, []);
  useControlChanges(["agent", "rollout"], ids.reload);
  const selected = props.selected ?? ids.data?.[0];
  return (
    <div class="split has-selection">
      <section class="list narrow" aria-labelledby="agents-title">
        <h1 id="agents-title">Agents</h1>
        <Status loading={ids.loading} error={ids.error}>
          {ids.data?.length === 0 && <p class="muted">No agents yet.</p>}
          <ul class="rows">
            {(ids.data ?? []).map((id) => (
              <li key={id}>
                <a
                  class="row"
                  href={`${BASE}/agents/${id}`}
                  onClick={onLinkClick}
                  aria-current={id === selected ? "true" : undefined}
                >
                  {id}
                </a>
              </li>
            ))}
          </ul>
        </Status>
      </section>
      <div class="detail">{selected && <AgentDetail id={selected} session={props.session} />}</div>
    </div>
  );
}

async function loadAgent(id: string) {
  const [versions, kills, rollouts] = await Promise.all([
    optional<Versions>(`/api/v1/agents/${id}/versions`),
    api<{ data: Kill[] }>("/api/v1/kills"),
    api<{ data: Rollout[] }>(`/api/v1/rollouts?agent=${encodeURIComponent(id)}`),
  ]);
  const running = rollouts.data.find((r) => !r.endedAt);
  const rollout = running ? await api<RolloutStatus>(`/api/v1/rollouts/${running.id}`) : undefined;
  return { versions, kill: kills.data.find((k) => k.agentId === id), rollout };
}

function AgentDetail(props: { id: string; session: Session }) {
  const agent = useLoad(() => loadAgent(props.id), [props.id]);
  // A kill, an activation or a rollout step taken elsewhere changes what this page shows.
  useControlChanges(["agent", "rollout"], agent.reload);
  const [diff, setDiff] = useState<{ from: string; to: string }>();
  const a = agent.data;
  const versions = a?.versions?.data ?? [];
  const admin = can(props.session, "admin");
  const activate = async (version: string) => {
    await api(`/api/v1/agents/${props.id}/activate`, { method: "POST", body: { version } });
    agent.reload();
  };
  return (
    <section aria-labelledby="agent-title">
      <h2 id="agent-title">
        {props.id} {a?.kill && <Badge kind="killed">killed</Badge>}
      </h2>
      <Status loading={agent.loading && !a} error={agent.error}>
        {a && (
          <>
            <h3>Traffic</h3>
            <Traffic active={a.versions?.active ?? null} rollout={a.rollout} killed={!!a.kill} />
            <h3>Outcomes</h3>
            <OutcomeBreakdown agentId={props.id} />
            <h3>Live quality</h3>
            <LiveQuality agentId={props.id} />
            <h3>Kill switch</h3>
            <KillSwitch agentId={props.id} kill={a.kill} allowed={admin} onChanged={agent.reload} />
            <h3>Versions</h3>
            {versions.length === 0 ? (
              <p class="muted">This agent is configured without versioned documents.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Version</th>
                    <th scope="col">Created</th>
                    <th scope="col">Compare</th>
                    {admin && <th scope="col">Activate</th>}
                  </tr>
                </thead>
                <tbody>
                  {versions.map((v, i) => (
                    <tr key={v.version}>
                      <td>
                        <code>{v.version}</code> {v.active && <Badge kind="ok">active</Badge>}
                      </td>
                      <td>{time(v.createdAt)}</td>
                      <td>
                        {versions[i + 1] && (
                          <button
                            type="button"
                            onClick={() =>
                              setDiff({ from: versions[i + 1]!.version, to: v.version })
                            }
                          >
                            Diff with previous
                          </button>
                        )}
                      </td>
                      {admin && (
                        <td>
                          {!v.active && (
                            <ConfirmButton
                              label={`Activate ${v.version}`}
                              title={`Activate ${v.version}?`}
                              confirmLabel="Confirm activate"
                              onConfirm={() => activate(v.version)}
                            >
                              <p>
                                New conversations of {props.id} get {v.version} from now on
                                {a.versions?.active ? ` instead of ${a.versions.active}` : ""}; open
                                conversations keep the version they started with.
                              </p>
                              {a.rollout && (
                                <p class="error">
                                  Rollout {a.rollout.id} is {a.rollout.state}: it keeps comparing{" "}
                                  {a.rollout.baseline} with {a.rollout.candidate}.
                                </p>
                              )}
                            </ConfirmButton>
                          )}
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {versions.length > 1 && (
              <VersionDiff
                agentId={props.id}
                versions={versions.map((v) => v.version)}
                pick={diff}
              />
            )}
          </>
        )}
      </Status>
    </section>
  );
}

function Traffic(props: { active: string | null; rollout?: RolloutStatus; killed: boolean }) {
  if (props.killed) return <p>All traffic goes to the kill switch's fallback.</p>;
  const r = props.rollout;
  const rows = r
    ? [
        { version: r.baseline, share: 1 - r.share, note: "baseline" },
        { version: r.candidate, share: r.share, note: `candidate (rollout ${r.state})` },
      ]
    : props.active
      ? [{ version: props.active, share: 1, note: "active" }]
      : [];
  if (rows.length === 0) return <p class="muted">No active version.</p>;
  return (
    <ul class="traffic">
      {rows.map((row) => (
        <li key={row.version}>
          <code>{row.version}</code> {row.note}
          <span class="bar" role="img" aria-label={`${percent(row.share)} of new conversations`}>
            <span style={{ width: percent(row.share) }} />
          </span>
          {percent(row.share)}
        </li>
      ))}
    </ul>
  );
}
