import { useRef, useState } from "preact/hooks";
import { ApiError, api } from "../api.ts";
import { offsetOf, type Problem, problemsOf } from "../document-problems.ts";
import type { RolloutStatus } from "../types.ts";

/** A starting point: the fields a rollout needs (docs/rollouts.md has them all). */
const TEMPLATE = `agent: support
candidate: v_000000000000
steps:
  - shadow: 50
  - canary: 5%
  - canary: 25%
gates:
  - { metric: violation, margin: 0.02 }
  - { metric: handoff, margin: 0.05 }
`;

/** Paste a rollout document (as for `mainstay rollout start`) and start it. Admin only. */
export function RolloutStart(props: { onStarted: (id: string) => void }) {
  const [text, setText] = useState(TEMPLATE);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  async function start(event: Event) {
    event.preventDefault();
    setProblems([]);
    setBusy(true);
    try {
      const started = await api<RolloutStatus>("/api/v1/rollouts", {
        method: "POST",
        body: { document: text },
      });
      props.onStarted(started.id);
    } catch (e) {
      const message = (e as Error).message;
      setProblems(e instanceof ApiError ? problemsOf(message) : [{ text: message }]);
    } finally {
      setBusy(false);
    }
  }
  const show = (p: Problem) => {
    const el = area.current;
    if (!el || p.line === undefined) return;
    const at = offsetOf(text, p.line, p.column ?? 1);
    el.focus();
    el.setSelectionRange(at, at);
  };
  return (
    <section aria-labelledby="rollout-start-title">
      <h2 id="rollout-start-title">Start a rollout</h2>
      <p class="muted">
        Paste a rollout document, as <code>mainstay rollout start</code> reads it. The candidate
        must be a stored version of the agent.
      </p>
      <form class="rollout-start" onSubmit={start}>
        <div>
          <label for="rollout-document">Rollout document (YAML)</label>
          <textarea
            id="rollout-document"
            ref={area}
            rows={14}
            spellcheck={false}
            value={text}
            aria-invalid={problems.length > 0}
            aria-describedby="rollout-problems"
            onInput={(e) => setText(e.currentTarget.value)}
          />
          <div class="actions">
            <button type="submit" class="primary" disabled={busy}>
              Start rollout
            </button>
          </div>
        </div>
        <div id="rollout-problems" aria-live="polite">
          {problems.length > 0 && (
            <>
              <h3>Problems</h3>
              <ul class="problems">
                {problems.map((p) => (
                  <li key={p.text}>
                    {p.line === undefined ? (
                      <span class="error">{p.text}</span>
                    ) : (
                      <button type="button" class="link error" onClick={() => show(p)}>
                        {p.text}
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      </form>
    </section>
  );
}
