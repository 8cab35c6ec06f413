import { useRef, useState } from "preact/hooks";
import { api, query, type Session } from "../api.ts";
import { ago, short } from "../format.ts";
import { useConversationStream } from "../live.ts";
import { BASE, onLinkClick } from "../router.ts";
import type { Conversation, Page } from "../types.ts";
import { Badge, Status } from "../ui/status.tsx";
import { ThreadPane } from "../ui/thread.tsx";
import { useLoad } from "../ui/use-load.ts";
import { visitorOf } from "../ui/visitor.ts";

/** A live list of conversations with filters; the selected one opens beside it. */
export function Inbox(props: { session: Session; selected?: string }) {
  const [state, setState] = useState("");
  const [channel, setChannel] = useState("");
  const [search, setSearch] = useState("");
  const [assignee, setAssignee] = useState("");
  const [label, setLabel] = useState("");
  const list = useLoad(
    () =>
      api<Page<Conversation>>(
        `/api/v1/conversations${query({ state, channel, assignee, label, q: search || undefined, limit: 100 })}`,
      ),
    [state, channel, assignee, label, search],
  );
  // Bursts of events (a message, its reply, the sends) reload the list once.
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useConversationStream(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(list.reload, 150);
  });
  // The server searches messages, names, addresses and ids.
  const rows = list.data?.data ?? [];
  return (
    <div class={`split ${props.selected ? "has-selection" : ""}`}>
      <section class="list" aria-labelledby="inbox-title">
        <h1 id="inbox-title">Inbox</h1>
        <form class="filters" onSubmit={(e) => e.preventDefault()}>
          <label>
            State
            <select value={state} onChange={(e) => setState(e.currentTarget.value)}>
              <option value="">any</option>
              <option value="bot">bot</option>
              <option value="human">human</option>
              <option value="closed">closed</option>
            </select>
          </label>
          <label>
            Assigned
            <select value={assignee} onChange={(e) => setAssignee(e.currentTarget.value)}>
              <option value="">anyone</option>
              <option value="me">to me</option>
              <option value="none">nobody</option>
            </select>
          </label>
          <label>
            Label
            <input
              value={label}
              placeholder="label"
              onChange={(e) => setLabel(e.currentTarget.value.trim().toLowerCase())}
            />
          </label>
          <label>
            Channel
            <input
              value={channel}
              placeholder="channel id"
              onChange={(e) => setChannel(e.currentTarget.value.trim())}
            />
          </label>
          <label>
            Search
            <input
              type="search"
              value={search}
              placeholder="contact, text, id"
              onInput={(e) => setSearch(e.currentTarget.value)}
            />
          </label>
        </form>
        <Status loading={list.loading && !list.data} error={list.error}>
          {rows.length === 0 && <p class="muted">No conversations.</p>}
          <ul class="rows" aria-live="polite">
            {rows.map((c) => (
              <li key={c.id}>
                <a
                  href={`${BASE}/inbox/${c.id}`}
                  onClick={onLinkClick}
                  class="row"
                  data-conversation-id={c.id}
                  aria-current={c.id === props.selected ? "true" : undefined}
                >
                  <span class="row-title">
                    {visitorOf(c)} <Badge kind={c.state}>{c.state}</Badge>
                    {(c.labels ?? []).map((l) => (
                      <Badge key={l} kind="tag">
                        {l}
                      </Badge>
                    ))}
                    {(c.findings ?? 0) > 0 && (
                      <Badge kind="finding" title="guardrail findings">
                        ⚑ {c.findings}
                      </Badge>
                    )}
                  </span>
                  <span class="muted">
                    {c.channelId} ·{" "}
                    {c.agent ? `${c.agent.id}@${c.agent.version ?? "?"}` : "no agent"} ·{" "}
                    {c.assignee ? `${c.assignee} · ` : ""}
                    {ago(c.lastMessageAt)}
                  </span>
                  {c.lastMessage && <span class="last">{short(c.lastMessage.text)}</span>}
                </a>
              </li>
            ))}
          </ul>
        </Status>
      </section>
      <ThreadPane
        id={props.selected}
        session={props.session}
        back={{ href: "/inbox", label: "← All conversations" }}
        placeholder="Select a conversation."
        onChanged={list.reload}
      />
    </div>
  );
}
