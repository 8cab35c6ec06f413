import { useState } from "preact/hooks";
import { api } from "../api.ts";
import { time } from "../format.ts";
import type { Incident } from "../types.ts";
import { Badge, Status } from "./status.tsx";
import { useLoad } from "./use-load.ts";

/** What a timeline entry says beyond its type: a note's text, a resolution note, a title. */
function entryText(data: unknown): string | undefined {
  if (!data || typeof data !== "object") return undefined;
  const d = data as Record<string, unknown>;
  for (const key of ["text", "note", "reason", "title"]) {
    if (typeof d[key] === "string") return d[key] as string;
  }
  return undefined;
}

/** Newest incidents; an admin acknowledges, adds notes and resolves them here. */
export function IncidentList(props: {
  incidents: Incident[];
  admin: boolean;
  /** Bumped when the stream says incidents changed: open rows read their timeline again. */
  version: number;
  onChanged: () => void;
}) {
  if (props.incidents.length === 0) return <p class="muted">No incidents.</p>;
  return (
    <ul class="rows">
      {props.incidents.map((i) => (
        <IncidentRow key={i.id} {...props} incident={i} />
      ))}
    </ul>
  );
}

function IncidentRow(props: {
  incident: Incident;
  admin: boolean;
  version: number;
  onChanged: () => void;
}) {
  const i = props.incident;
  const [open, setOpen] = useState(false);
  const detail = useLoad(
    () => (open ? api<Incident>(`/api/v1/incidents/${i.id}`) : Promise.resolve(undefined)),
    [open, i.id, i.status, props.version],
  );
  return (
    <li class="row" data-incident-id={i.id}>
      <details onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>
          <Badge kind={i.severity}>{i.severity}</Badge> {i.title}{" "}
          <Badge kind={i.status}>{i.status}</Badge>{" "}
          <span class="muted">
            {i.source} · opened {time(i.openedAt)}
          </span>
        </summary>
        <Status loading={open && detail.loading && !detail.data} error={detail.error}>
          <ol class="timeline">
            {(detail.data?.timeline ?? []).map((e) => (
              <li key={e.seq}>
                <time dateTime={e.at}>{time(e.at)}</time> <code>{e.type}</code>{" "}
                {e.actor && <span class="muted">by {e.actor}</span>} {entryText(e.data)}
              </li>
            ))}
          </ol>
        </Status>
        {open && props.admin && i.status !== "resolved" && (
          <IncidentActions
            incident={i}
            onChanged={() => {
              detail.reload();
              props.onChanged();
            }}
          />
        )}
      </details>
    </li>
  );
}

function IncidentActions(props: { incident: Incident; onChanged: () => void }) {
  const i = props.incident;
  const [note, setNote] = useState("");
  const [error, setError] = useState<string>();
  const noteId = `note-${i.id}`;
  async function run(path: string, body: unknown) {
    setError(undefined);
    try {
      await api(`/api/v1/incidents/${i.id}/${path}`, { method: "POST", body });
      setNote("");
      props.onChanged();
    } catch (e) {
      setError((e as Error).message);
    }
  }
  const text = note.trim();
  return (
    <form class="incident-actions" onSubmit={(e) => e.preventDefault()}>
      <label for={noteId}>Note (kept on the timeline)</label>
      <textarea id={noteId} rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      <div class="actions">
        {i.status === "open" && (
          <button type="button" onClick={() => run("acknowledge", {})}>
            Acknowledge
          </button>
        )}
        <button type="button" disabled={!text} onClick={() => run("notes", { text })}>
          Add note
        </button>
        <button
          type="button"
          class="primary"
          onClick={() => run("resolve", text ? { note: text } : {})}
        >
          {text ? "Resolve with note" : "Resolve"}
        </button>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
