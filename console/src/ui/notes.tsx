import { useState } from "preact/hooks";
import { api, can, optional, type Session } from "../api.ts";
import { time } from "../format.ts";
import type { Note } from "../types.ts";
import { useLoad } from "./use-load.ts";

/** The team's private notes on a conversation: never sent to the customer. */
export function Notes(props: { conversationId: string; session: Session; version: number }) {
  const notes = useLoad(
    () => optional<{ data: Note[] }>(`/api/v1/conversations/${props.conversationId}/notes`),
    [props.conversationId, props.version],
  );
  const [text, setText] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  // A server without notes answers 404: nothing to show.
  if (!notes.loading && !notes.data) return null;
  const add = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api(`/api/v1/conversations/${props.conversationId}/notes`, {
        method: "POST",
        body: { text },
      });
      setText("");
      notes.reload();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const list = notes.data?.data ?? [];
  return (
    <section class="notes" aria-labelledby="notes-title">
      <h3 id="notes-title">Private notes</h3>
      <p class="muted">Only your team sees these; the customer never does.</p>
      <ol>
        {list.map((n) => (
          <li key={n.id} class="note" data-note-id={n.id}>
            <div class="meta">
              <span>{n.author}</span> <time dateTime={n.createdAt}>{time(n.createdAt)}</time>
            </div>
            <p class="text">{n.text}</p>
          </li>
        ))}
      </ol>
      {can(props.session, "agent") && (
        <form onSubmit={add}>
          <label for="note-text">Add a note</label>
          <textarea
            id="note-text"
            rows={2}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" disabled={busy || !text.trim()}>
            Save note
          </button>
        </form>
      )}
    </section>
  );
}
