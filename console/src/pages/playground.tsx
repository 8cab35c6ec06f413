import { useEffect, useState } from "preact/hooks";
import { api, optional } from "../api.ts";
import type { Finding } from "../types.ts";
import { Badge, Status } from "../ui/status.tsx";
import { useLoad } from "../ui/use-load.ts";

interface GuardResponse {
  action: string;
  text: string;
  reply?: string;
  findings: Finding[];
}
interface PolicyCase {
  name: string;
  passed: boolean;
  expect?: unknown;
  actual?: unknown;
}

const CHANNELS = ["webchat", "sms", "whatsapp", "email", "generic"];

/** The text with each finding's span marked; overlapping spans are merged. */
export function Highlighted(props: { text: string; findings: Finding[] }) {
  const spans = [...props.findings]
    .filter((f) => f.end > f.start)
    .sort((a, b) => a.start - b.start);
  const parts = [];
  let at = 0;
  for (const f of spans) {
    if (f.start < at) continue;
    parts.push(props.text.slice(at, f.start));
    parts.push(
      <mark key={f.start} title={`${f.type} (rule ${f.rule}, score ${f.score.toFixed(2)})`}>
        {props.text.slice(f.start, f.end)}
        <span class="sr-only"> [{f.type}]</span>
      </mark>,
    );
    at = f.end;
  }
  parts.push(props.text.slice(at));
  return <p class="highlighted">{parts}</p>;
}

export function Playground() {
  const [text, setText] = useState("");
  const [direction, setDirection] = useState("outbound");
  const [channel, setChannel] = useState("webchat");
  const [result, setResult] = useState<{ input: string; decision: GuardResponse }>();
  const [error, setError] = useState<string>();
  // Checked as you type, a moment after the last key.
  useEffect(() => {
    if (!text.trim()) return setResult(undefined);
    const timer = setTimeout(async () => {
      try {
        const decision = await api<GuardResponse>("/api/v1/guard", {
          method: "POST",
          body: { text, direction, channel },
        });
        setError(undefined);
        setResult({ input: text, decision });
      } catch (e) {
        setError((e as Error).message);
      }
    }, 250);
    return () => clearTimeout(timer);
  }, [text, direction, channel]);
  const d = result?.decision;
  return (
    <section aria-labelledby="playground-title">
      <h1 id="playground-title">Policy playground</h1>
      <form class="playground" onSubmit={(e) => e.preventDefault()}>
        <label for="pg-text">Message</label>
        <textarea
          id="pg-text"
          rows={5}
          value={text}
          placeholder="Paste a message to check against the server's policy"
          onInput={(e) => setText(e.currentTarget.value)}
        />
        <div class="filters">
          <label>
            Direction
            <select value={direction} onChange={(e) => setDirection(e.currentTarget.value)}>
              <option value="outbound">outbound (to the customer)</option>
              <option value="inbound">inbound (from the customer)</option>
            </select>
          </label>
          <label>
            Channel
            <select value={channel} onChange={(e) => setChannel(e.currentTarget.value)}>
              {CHANNELS.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
        </div>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {d && result && (
        <div class="decision" aria-live="polite">
          <h2>
            Decision: <Badge kind={d.action}>{d.action}</Badge>
          </h2>
          <h3>Findings in the message</h3>
          <Highlighted text={result.input} findings={d.findings} />
          {d.findings.length === 0 ? (
            <p class="muted">Nothing found.</p>
          ) : (
            <ul>
              {d.findings.map((f) => (
                <li key={`${f.start}-${f.type}`}>
                  <code>{f.type}</code> at {f.start}–{f.end}, rule {f.rule}
                </li>
              ))}
            </ul>
          )}
          <h3>What would be {direction === "outbound" ? "sent" : "stored"}</h3>
          <p class="output">{d.text}</p>
          {d.reply && <p>Reply instead: {d.reply}</p>}
        </div>
      )}
      <PolicyTests />
    </section>
  );
}

/** The policy's own test cases, when the server offers them. */
function PolicyTests() {
  const cases = useLoad(() => optional<{ data: PolicyCase[] }>("/api/v1/guard/tests"), []);
  const [run, setRun] = useState<PolicyCase[]>();
  const [error, setError] = useState<string>();
  if (!cases.data) return null;
  async function runAll() {
    try {
      setRun(
        (await api<{ data: PolicyCase[] }>("/api/v1/guard/tests/run", { method: "POST", body: {} }))
          .data,
      );
    } catch (e) {
      setError((e as Error).message);
    }
  }
  const shown = run ?? cases.data.data;
  return (
    <section aria-labelledby="tests-title">
      <h2 id="tests-title">Policy test cases</h2>
      <button type="button" onClick={runAll}>
        Run {cases.data.data.length} test cases
      </button>
      <Status error={error}>
        <ul class="rows">
          {shown.map((c) => (
            <li key={c.name} class="row">
              {run && <Badge kind={c.passed ? "ok" : "failed"}>{c.passed ? "pass" : "fail"}</Badge>}{" "}
              {c.name}
            </li>
          ))}
        </ul>
      </Status>
    </section>
  );
}
