import { useState } from "preact/hooks";
import { api, can, type Session } from "../api.ts";
import { time } from "../format.ts";
import { useConversationStream } from "../live.ts";
import { BASE, onLinkClick } from "../router.ts";
import type { ConversationDetail, GuardDecision, Message, Page, TurnTrace } from "../types.ts";
import { CannedPicker, cannedFor, useCannedResponses } from "./canned-picker.tsx";
import { ConversationActions } from "./conversation-actions.tsx";
import { Notes } from "./notes.tsx";
import { OutcomeBadge } from "./outcome-labels.tsx";
import { Badge, Status } from "./status.tsx";
import { TurnTraceView } from "./turn-trace.tsx";
import { useLoad } from "./use-load.ts";
import { visitorOf } from "./visitor.ts";

const TICKS: Record<string, { mark: string; label: string }> = {
  queued: { mark: "○", label: "queued" },
  sent: { mark: "✓", label: "sent" },
  delivered: { mark: "✓✓", label: "delivered" },
  read: { mark: "✓✓", label: "read" },
  failed: { mark: "✕", label: "failed" },
};

function Ticks(props: { message: Message }) {
  const tick = TICKS[props.message.status];
  if (props.message.direction === "inbound" || !tick) return null;
  return (
    <span
      class={`ticks ${props.message.status}`}
      title={props.message.error ?? tick.label}
      role="img"
      aria-label={`delivery: ${tick.label}`}
    >
      {tick.mark}
    </span>
  );
}

/** What the policy decided on this message: shown only when a rule fired. */
function Guardrails(props: { decision?: GuardDecision }) {
  const d = props.decision;
  if (!d || (d.action === "allow" && d.findings.length === 0)) return null;
  const types = [...new Set(d.findings.map((f) => f.type))];
  return (
    <p class={`guard ${d.action}`}>
      <Badge kind={d.action}>{d.action}</Badge> {d.rule ? `rule ${d.rule}` : "policy"}
      {types.length > 0 && `: ${types.join(", ")}`}
      {d.action === "redact" && " (redacted before storing/sending)"}
    </p>
  );
}

function Bubble(props: { message: Message; trace?: TurnTrace | undefined }) {
  const m = props.message;
  const who =
    m.author === "agent" && m.agent
      ? `agent ${m.agent.id}@${m.agent.version ?? "?"}`
      : m.author === "human"
        ? `human${m.meta.agentName ? ` (${m.meta.agentName})` : ""}`
        : m.author;
  return (
    <li class={`bubble ${m.direction} ${m.author}`} data-message-id={m.id}>
      <div class="meta">
        <span>{who}</span> <time dateTime={m.createdAt}>{time(m.createdAt)}</time>{" "}
        <Ticks message={m} />
        {m.meta.disclosure && (
          <Badge kind="disclosure" title="the AI disclosure went in front of this message">
            AI disclosure ({m.meta.disclosure})
          </Badge>
        )}
      </div>
      <p class="text">{m.text}</p>
      <Guardrails decision={m.meta.guardrails} />
      {props.trace && <TurnTraceView trace={props.trace} />}
    </li>
  );
}

/** One conversation: messages, guardrail decisions, the event timeline, and (for agents) reply and hand back. */
export function Thread(props: { id: string; session: Session; onChanged?: () => void }) {
  const detail = useLoad(
    () => api<ConversationDetail>(`/api/v1/conversations/${props.id}`),
    [props.id],
  );
  const messages = useLoad(
    () => api<Page<Message>>(`/api/v1/conversations/${props.id}/messages?limit=200`),
    [props.id],
  );
  const traces = useLoad(
    () => api<{ data: TurnTrace[] }>(`/api/v1/conversations/${props.id}/traces?limit=200`),
    [props.id],
  );
  useConversationStream(() => {
    detail.reload();
    messages.reload();
    traces.reload();
  }, props.id);
  const traceOf = new Map((traces.data?.data ?? []).map((t) => [t.replyId, t]));
  const c = detail.data;
  const changed = () => {
    detail.reload();
    messages.reload();
    props.onChanged?.();
  };
  return (
    <section class="thread" aria-labelledby="thread-title">
      <Status loading={detail.loading && !c} error={detail.error}>
        {c && (
          <>
            <header>
              <h2 id="thread-title">{visitorOf(c)}</h2>
              <p class="muted">
                {c.channelId} ({c.channelType}) · <Badge kind={c.state}>{c.state}</Badge>{" "}
                <OutcomeBadge outcome={c.outcome} />
                {c.agent && ` · ${c.agent.id}@${c.agent.version ?? "?"}`} · {c.id}
              </p>
              <ConversationActions conversation={c} session={props.session} onChanged={changed} />
            </header>
            <ol class="messages" aria-label="Messages">
              {(messages.data?.data ?? []).map((m) => (
                <Bubble key={m.id} message={m} trace={traceOf.get(m.id)} />
              ))}
            </ol>
            {can(props.session, "agent") && c.state !== "closed" && (
              <Reply
                conversationId={c.id}
                state={c.state}
                session={props.session}
                onSent={changed}
              />
            )}
            <Notes
              conversationId={c.id}
              session={props.session}
              version={c.events.filter((e) => e.type === "note.added").length}
            />
            <details class="timeline">
              <summary>Event timeline ({c.events.length})</summary>
              <ol>
                {c.events.map((e) => (
                  <li key={e.seq}>
                    <time dateTime={e.createdAt}>{time(e.createdAt)}</time> <code>{e.type}</code>{" "}
                    <span class="muted">{eventSummary(e.data)}</span>
                  </li>
                ))}
              </ol>
            </details>
          </>
        )}
      </Status>
    </section>
  );
}

function eventSummary(data: Record<string, unknown>) {
  const { messageId: _m, ...rest } = data;
  const text = JSON.stringify(rest);
  return text === "{}" ? "" : text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

function Reply(props: {
  conversationId: string;
  state: string;
  session: Session;
  onSent: () => void;
}) {
  const [text, setText] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const canned = useCannedResponses();
  const typed = cannedFor(text, canned);
  const base = `/api/v1/conversations/${props.conversationId}`;
  async function run(action: () => Promise<unknown>) {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      props.onSent();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }
  const send = (event: Event) => {
    event.preventDefault();
    return run(async () => {
      await api(`${base}/messages`, {
        method: "POST",
        body: { text, agentName: props.session.name },
      });
      setText("");
    });
  };
  return (
    <form class="reply" onSubmit={send}>
      <label for="reply-text">
        Reply as {props.session.name}
        {props.state === "bot" && " (this takes the conversation over from the bot)"}
      </label>
      <textarea
        id="reply-text"
        rows={3}
        required
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          // `/shortcut` then Tab puts the saved reply in the box.
          if (e.key === "Tab" && typed) {
            e.preventDefault();
            setText(typed.text);
          }
        }}
      />
      {typed && <p class="muted">Tab inserts the saved reply /{typed.shortcut}</p>}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy || !text.trim()}>
          Send reply
        </button>
        <CannedPicker canned={canned} onPick={setText} />
        {props.state === "human" && (
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              run(() =>
                api(`${base}/handback`, {
                  method: "POST",
                  body: { agentName: props.session.name },
                }),
              )
            }
          >
            Hand back to bot
          </button>
        )}
      </div>
    </form>
  );
}

/** The opened conversation beside a list; on a phone it replaces the list, with a way back. */
export function ThreadPane(props: {
  id?: string;
  session: Session;
  back: { href: string; label: string };
  placeholder: string;
  onChanged: () => void;
}) {
  if (!props.id) return <p class="detail muted placeholder">{props.placeholder}</p>;
  return (
    <div class="detail">
      <a class="back" href={`${BASE}${props.back.href}`} onClick={onLinkClick}>
        {props.back.label}
      </a>
      <Thread id={props.id} session={props.session} onChanged={props.onChanged} />
    </div>
  );
}
