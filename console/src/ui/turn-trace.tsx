import type { TraceStep, TurnTrace } from "../types.ts";

/** How long the turn took: the last step's end. */
const duration = (trace: TurnTrace) => trace.steps.at(-1)?.at ?? 0;

function Step(props: { step: TraceStep }) {
  const s = props.step;
  switch (s.kind) {
    case "prompt":
      return (
        <>
          <strong>prompt</strong>: {s.history} earlier turns
          {s.tools.length > 0 && `, tools ${s.tools.join(", ")}`}
          {Object.keys(s.variables).length > 0 &&
            `, variables ${Object.entries(s.variables)
              .map(([k, v]) => `${k}=${v}`)
              .join(", ")}`}
          <details>
            <summary>system prompt</summary>
            <pre>{s.system}</pre>
          </details>
        </>
      );
    case "knowledge":
      return (
        <>
          <strong>knowledge</strong>: "{s.query}" →{" "}
          {s.entries.length === 0
            ? "no entry"
            : s.entries.map((e) => `${e.id} (${e.score.toFixed(2)})`).join(", ")}
        </>
      );
    case "tool":
      return (
        <>
          <strong>tool {s.name}</strong> <code>{s.arguments}</code> → {s.status}, {s.ms} ms
          <details>
            <summary>result</summary>
            <pre>{s.result}</pre>
          </details>
        </>
      );
    case "provider":
      return (
        <>
          <strong>
            {s.provider}/{s.model}
          </strong>
          : <span class={`trace-${s.outcome}`}>{s.outcome}</span>, {s.ms} ms
          {s.tokens && `, ${s.tokens.input} → ${s.tokens.output} tokens`}
          {s.error && <span class="muted"> ({s.error})</span>}
        </>
      );
    case "handoff":
      return (
        <>
          <strong>handoff</strong>: {s.reason}
          {s.detail && <span class="muted"> ({s.detail})</span>}
        </>
      );
  }
}

/** An agent reply's trace, folded: prompt, knowledge, tools and every provider attempt. */
export function TurnTraceView(props: { trace: TurnTrace }) {
  const { trace } = props;
  return (
    <details class="trace" data-turn-id={trace.turnId}>
      <summary>
        Trace: {trace.steps.length} steps, {duration(trace)} ms
      </summary>
      <ol>
        {trace.steps.map((step, i) => (
          <li key={i}>
            <span class="muted">+{step.at} ms</span> <Step step={step} />
          </li>
        ))}
      </ol>
    </details>
  );
}
