import { useState } from "preact/hooks";
import { api, can, type Session } from "../api.ts";
import { percent, time } from "../format.ts";
import { useControlChanges } from "../live.ts";
import { BASE, navigate, onLinkClick } from "../router.ts";
import type { Rollout, RolloutStatus } from "../types.ts";
import { ConfirmButton } from "../ui/confirm-button.tsx";
import { GateCharts } from "../ui/gate-charts.tsx";
import { RolloutStart } from "../ui/rollout-start.tsx";
import { Badge, Status } from "../ui/status.tsx";
import { useLoad } from "../ui/use-load.ts";

export function Rollouts(props: { session: Session; selected?: string }) {
  const list = useLoad(() => api<{ data: Rollout[] }>("/api/v1/rollouts"), []);
  // Decisions taken anywhere (the controller, another instance, the CLI) show up here.
  useControlChanges(["rollout"], list.reload);
  const admin = can(props.session, "admin");
  const starting = props.selected === "new" && admin;
  const selected = starting ? undefined : (props.selected ?? list.data?.data[0]?.id);
  return (
    <div class="split has-selection">
      <section class="list narrow" aria-labelledby="rollouts-title">
        <h1 id="rollouts-title">Rollouts</h1>
        {admin && (
          <p>
            <a class="button" href={`${BASE}/rollouts/new`} onClick={onLinkClick}>
              Start a rollout…
            </a>
          </p>
        )}
        <Status loading={list.loading} error={list.error}>
          {list.data?.data.length === 0 && <p class="muted">No rollouts yet.</p>}
          <ul class="rows">
            {(list.data?.data ?? []).map((r) => (
              <li key={r.id}>
                <a
                  class="row"
                  href={`${BASE}/rollouts/${r.id}`}
                  onClick={onLinkClick}
                  aria-current={r.id === selected ? "true" : undefined}
                >
                  <span class="row-title">
                    {r.agentId} <Badge kind={r.state}>{r.state}</Badge>
                  </span>
                  <span class="muted">
                    {r.baseline} → {r.candidate} · {time(r.createdAt)}
                  </span>
                </a>
              </li>
            ))}
          </ul>
        </Status>
      </section>
      <div class="detail">
        {starting && (
          <RolloutStart
            onStarted={(id) => {
              list.reload();
              navigate(`/rollouts/${id}`);
            }}
          />
        )}
        {selected && (
          <RolloutDetail id={selected} session={props.session} onChanged={list.reload} />
        )}
      </div>
    </div>
  );
}

const stepLabel = (step: Record<string, unknown>) =>
  "shadow" in step ? `shadow ${step["shadow"]}` : `canary ${percent(Number(step["canary"]))}`;

function RolloutDetail(props: { id: string; session: Session; onChanged: () => void }) {
  const status = useLoad(() => api<RolloutStatus>(`/api/v1/rollouts/${props.id}`), [props.id]);
  useControlChanges(["rollout"], (change) => {
    if (!change.target || change.target === props.id) status.reload();
  });
  const [error, setError] = useState<string>();
  const r = status.data;
  const post = async (action: string) => {
    await api(`/api/v1/rollouts/${props.id}/${action}`, { method: "POST", body: {} });
    status.reload();
    props.onChanged();
  };
  async function act(action: string) {
    setError(undefined);
    try {
      await post(action);
    } catch (e) {
      setError((e as Error).message);
    }
  }
  const live = r && !r.endedAt;
  return (
    <section aria-labelledby="rollout-title">
      <Status loading={status.loading && !r} error={status.error}>
        {r && (
          <>
            <h2 id="rollout-title">
              {r.agentId}: <code>{r.baseline}</code> → <code>{r.candidate}</code>{" "}
              <Badge kind={r.state}>{r.state}</Badge>
            </h2>
            <ol class="steps" aria-label="Steps">
              {r.spec.steps.map((s, i) => (
                <li
                  key={i}
                  aria-current={i === r.step && live ? "step" : undefined}
                  class={i < r.step ? "done" : ""}
                >
                  {stepLabel(s)}
                </li>
              ))}
            </ol>
            <p>
              Candidate share of new conversations: <strong>{percent(r.share)}</strong>
              {r.current && (
                <>
                  {" "}
                  · now: <strong>{r.current.action}</strong> ({r.current.reason})
                </>
              )}
            </p>
            {live && can(props.session, "admin") && (
              <div class="actions">
                {r.state === "paused" ? (
                  <button type="button" onClick={() => act("resume")}>
                    Resume
                  </button>
                ) : (
                  <button type="button" onClick={() => act("pause")}>
                    Pause
                  </button>
                )}
                <ConfirmButton
                  label="Promote"
                  kind="primary"
                  title={`Promote ${r.candidate}?`}
                  confirmLabel="Confirm promote"
                  onConfirm={() => post("promote")}
                >
                  <p>
                    {r.step + 1 < r.spec.steps.length
                      ? "The rollout moves to its next step now, whatever the evidence says."
                      : `The last step is done: ${r.candidate} becomes the active version for every new conversation.`}
                  </p>
                </ConfirmButton>
                <ConfirmButton
                  label="Abort"
                  kind="danger"
                  title="Abort this rollout?"
                  confirmLabel="Confirm abort"
                  onConfirm={() => post("abort")}
                >
                  <p>
                    The rollout ends. New conversations and the candidate's open ones go back to{" "}
                    <code>{r.baseline}</code>. It cannot be resumed.
                  </p>
                </ConfirmButton>
              </div>
            )}
            {error && (
              <p class="error" role="alert">
                {error}
              </p>
            )}
            <h3>Evidence per gate</h3>
            <GateCharts status={r} />
            <h3>Decisions</h3>
            <table>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Step</th>
                  <th scope="col">Action</th>
                  <th scope="col">By</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {r.decisions.map((d, i) => (
                  <tr key={i}>
                    <td>{time(d.createdAt)}</td>
                    <td>{(d.step ?? 0) + 1}</td>
                    <td>{d.action}</td>
                    <td>{d.actor ?? ""}</td>
                    <td>{d.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </Status>
    </section>
  );
}
