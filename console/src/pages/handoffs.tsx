import { useRef, useState } from "preact/hooks";
import { ApiError, api, can, optional, type Session } from "../api.ts";
import { ago, short } from "../format.ts";
import { useConversationStream } from "../live.ts";
import { BASE, navigate, onLinkClick } from "../router.ts";
import type { Conversation, ConversationDetail, Handoff, Page } from "../types.ts";
import { Status } from "../ui/status.tsx";
import { ThreadPane } from "../ui/thread.tsx";
import { useLoad } from "../ui/use-load.ts";
import { visitorOf } from "../ui/visitor.ts";

/** Servers without `GET /api/v1/handoffs`: the human-state list, read one by one. */
async function handoffsFromConversations(): Promise<Handoff[]> {
  const page = await api<Page<Conversation>>("/api/v1/conversations?state=human&limit=100");
  const details = await Promise.all(
    page.data.map((c) => api<ConversationDetail>(`/api/v1/conversations/${c.id}`)),
  );
  return details
    .map((d) => {
      const handoff = d.events.findLast((e) => e.type === "conversation.handoff");
      return {
        ...d,
        handedOffAt: handoff?.createdAt ?? d.updatedAt,
        reason: (handoff?.data["reason"] as string | undefined) ?? null,
        summary: null,
      };
    })
    .sort((a, b) => Date.parse(a.handedOffAt) - Date.parse(b.handedOffAt));
}

async function loadHandoffs(): Promise<Handoff[]> {
  const served = await optional<{ data: Handoff[] }>("/api/v1/handoffs");
  return served ? served.data : handoffsFromConversations();
}

/** Conversations waiting for a person, oldest first; new ones arrive live. */
export function Handoffs(props: { session: Session; selected?: string }) {
  const list = useLoad(loadHandoffs, []);
  const [error, setError] = useState<string>();
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useConversationStream(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(list.reload, 150);
  });
  async function take(id: string) {
    setError(undefined);
    try {
      await api(`/api/v1/conversations/${id}/take`, {
        method: "POST",
        body: { agentName: props.session.name },
      });
    } catch (e) {
      // Without a take endpoint, replying is what takes a conversation over.
      if (!(e instanceof ApiError && e.status === 404)) return setError((e as Error).message);
    }
    navigate(`/handoffs/${id}`);
    list.reload();
    requestAnimationFrame(() => document.getElementById("reply-text")?.focus());
  }
  const rows = list.data ?? [];
  return (
    <div class={`split ${props.selected ? "has-selection" : ""}`}>
      <section class="list" aria-labelledby="handoffs-title">
        <h1 id="handoffs-title">Handoff queue</h1>
        <p class="muted">Waiting for a person, oldest first.</p>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <Status loading={list.loading && !list.data} error={list.error}>
          {rows.length === 0 && <p class="muted">Nobody is waiting.</p>}
          <ul class="rows" aria-live="polite">
            {rows.map((h) => (
              <li key={h.id} class="row handoff" data-conversation-id={h.id}>
                <a
                  href={`${BASE}/handoffs/${h.id}`}
                  onClick={onLinkClick}
                  aria-current={h.id === props.selected ? "true" : undefined}
                >
                  <span class="row-title">{visitorOf(h)}</span>
                </a>
                <span class="muted">
                  {h.reason ?? "handed off"} · {h.channelId} · waiting since {ago(h.handedOffAt)}
                  {h.takenBy && ` · taken by ${h.takenBy}`}
                  {h.assignee && h.assignee !== h.takenBy && ` · assigned to ${h.assignee}`}
                </span>
                {h.summary && <span class="last">{short(h.summary, 140)}</span>}
                {can(props.session, "agent") && (
                  <button type="button" onClick={() => take(h.id)}>
                    Take
                  </button>
                )}
              </li>
            ))}
          </ul>
        </Status>
      </section>
      <ThreadPane
        id={props.selected}
        session={props.session}
        back={{ href: "/handoffs", label: "← Queue" }}
        placeholder="Take a conversation to answer it."
        onChanged={list.reload}
      />
    </div>
  );
}
