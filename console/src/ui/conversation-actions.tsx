import { useState } from "preact/hooks";
import { api, can, type Session } from "../api.ts";
import type { ConversationDetail } from "../types.ts";
import { Badge } from "./status.tsx";

/**
 * Who answers the conversation, its labels, and closing or reopening it: the inbox's
 * controls above a thread. Operators (the agent role) change them; viewers only see.
 */
export function ConversationActions(props: {
  conversation: ConversationDetail;
  session: Session;
  onChanged: () => void;
}) {
  const c = props.conversation;
  const [label, setLabel] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const base = `/api/v1/conversations/${c.id}`;
  const operator = can(props.session, "agent");
  async function run(path: string, body: unknown = {}, method = "POST") {
    setBusy(true);
    setError(undefined);
    try {
      await api(`${base}${path}`, { method, body });
      props.onChanged();
      return true;
    } catch (e) {
      setError((e as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  }
  const mine = c.assignee === props.session.name;
  const open = c.state !== "closed";
  return (
    <div class="inbox-actions">
      <p>
        <span class="assignee">{c.assignee ? `Assigned to ${c.assignee}` : "Unassigned"}</span>
        {c.resolution && (
          <>
            {" "}
            <Badge kind={c.resolution}>{c.resolution}</Badge>
          </>
        )}{" "}
        <span class="labels">
          {(c.labels ?? []).map((l) => (
            <Badge key={l} kind="tag">
              {l}
              {operator && (
                <button
                  type="button"
                  class="link"
                  aria-label={`Remove label ${l}`}
                  disabled={busy}
                  onClick={() => run(`/labels/${encodeURIComponent(l)}`, undefined, "DELETE")}
                >
                  ×
                </button>
              )}
            </Badge>
          ))}
        </span>
      </p>
      {operator && (
        <div class="actions">
          {open && !mine && (
            <button
              type="button"
              disabled={busy}
              onClick={() => run("/assign", { assignee: props.session.name })}
            >
              Assign to me
            </button>
          )}
          {open && c.assignee && (
            <button
              type="button"
              disabled={busy}
              onClick={() => run("/assign", { assignee: null })}
            >
              Unassign
            </button>
          )}
          {open && (
            <>
              <button type="button" disabled={busy} onClick={() => run("/resolve")}>
                Resolve
              </button>
              <button type="button" disabled={busy} onClick={() => run("/close")}>
                Close
              </button>
            </>
          )}
          {!open && (
            <button type="button" disabled={busy} onClick={() => run("/reopen")}>
              Reopen
            </button>
          )}
          <form
            class="add-label"
            onSubmit={async (e) => {
              e.preventDefault();
              if (await run("/labels", { label })) setLabel("");
            }}
          >
            <input
              aria-label="New label"
              placeholder="label"
              value={label}
              maxLength={40}
              onInput={(e) => setLabel(e.currentTarget.value)}
            />
            <button type="submit" disabled={busy || !label.trim()}>
              Add label
            </button>
          </form>
        </div>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
