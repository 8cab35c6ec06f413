import type { CaseResult, CaseRun } from "../run-suite.ts";
import { describeCheck, type EvalReport, firstFailure } from "./eval-report.ts";
import { histogramSvg } from "./histogram-svg.ts";
import { type Html, html, page, pill, wordDiff } from "./html-page.ts";
import { percent, usd } from "./text-table.ts";

const CANDIDATE = "#0969da";
const BASELINE = "#8c959f";

/** The self-contained HTML report of an eval run. */
export function evalHtml(report: EvalReport): string {
  const { agent, gate } = report;
  const versus = agent.baseline ? ` vs ${agent.baseline}` : "";
  const title = `Evaluation: ${report.suite.name} - ${agent.id}@${agent.candidate}${versus}`;
  return page(
    title,
    html`<h1>${title}</h1>
<div class="sub">${report.suite.file} · ${report.cases.length} cases × ${report.options.repeat} run(s) · finished ${report.finishedAt} · judge: ${report.judge ?? "none (rubric assertions skipped)"}</div>
<div class="cards">
  <div class="gate ${gate.passed ? "pass" : "fail"}">Gate ${gate.passed ? "PASS" : "FAIL"}</div>
  ${card("Pass rate", `${percent(gate.passRate)} (needs ${percent(gate.minPassRate)})`)}
  ${card("Cases passed", `${report.candidate.passed}/${report.candidate.cases}`)}
  ${report.baseline ? card("Baseline passed", `${report.baseline.passed}/${report.baseline.cases}`) : ""}
  ${card("Regressions", String(gate.regressions.length))}
  ${card("Latency p95", `${Math.round(report.candidate.latencyMs.p95)} ms`)}
  ${card("Cost / conversation", usd(report.candidate.cost.mean))}
</div>
<h2>Distributions</h2>
<div class="charts">
  <div class="chart">${histogramSvg(
    "Reply latency",
    "ms",
    series(report, (r) =>
      r.turns.filter((t) => t.draft !== undefined || t.error).map((t) => t.latencyMs),
    ),
  )}</div>
  <div class="chart">${histogramSvg(
    "Cost per conversation",
    "USD",
    series(report, (r) =>
      r.turns.some((t) => t.cost === null) ? [] : [r.turns.reduce((s, t) => s + (t.cost ?? 0), 0)],
    ),
  )}</div>
</div>
<h2>Cases</h2>
<table>
<tr><th>Result</th><th>Case</th><th>${agent.candidate}</th>${agent.baseline ? html`<th>${agent.baseline}</th>` : ""}<th>First failure</th></tr>
${report.cases.map(
  (c) =>
    html`<tr><td>${pill(c.status)}</td><td><a href="#${anchor(c.name)}">${c.name}</a></td><td>${runs(c.candidate.runs)}</td>${agent.baseline ? html`<td>${runs(c.baseline?.runs ?? [])}</td>` : ""}<td>${firstFailure(c.candidate)}</td></tr>`,
)}
</table>
<h2>Transcripts</h2>
${report.cases.map((c) => caseDetails(c, report))}`,
  );
}

const card = (label: string, value: string) =>
  html`<div class="card"><div class="k">${label}</div><div class="v">${value}</div></div>`;

const runs = (all: CaseRun[]) => `${all.filter((r) => r.passed).length}/${all.length}`;

const anchor = (name: string) => `case-${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;

function series(report: EvalReport, values: (run: CaseRun) => number[]) {
  const of = (pick: (c: CaseResult) => CaseRun[]) =>
    report.cases.flatMap((c) => pick(c).flatMap(values));
  return [
    { label: report.agent.candidate, color: CANDIDATE, values: of((c) => c.candidate.runs) },
    ...(report.agent.baseline
      ? [
          {
            label: report.agent.baseline,
            color: BASELINE,
            values: of((c) => c.baseline?.runs ?? []),
          },
        ]
      : []),
  ];
}

function caseDetails(c: CaseResult, report: EvalReport): Html {
  const run = c.candidate.runs.find((r) => !r.passed) ?? c.candidate.runs[0]!;
  const base = c.baseline?.runs[0];
  const open = c.status === "pass" || c.status === "fixed" ? "" : " open";
  return html`<details id="${anchor(c.name)}"${open}><summary>${pill(c.status)} ${c.name} <span class="meta">(${c.channel})</span></summary>
${run.turns.map((t, i) => {
  const baseline = base?.turns[i];
  return html`<div class="turn">
<div class="who">Customer</div><div>${t.customer}</div>
<div class="who">${report.agent.candidate}</div><div>${t.reply || "(no reply)"} <span class="meta">${t.latencyMs} ms${t.handoff ? ` · handoff ${t.handoff}` : ""}${t.action !== "allow" ? ` · ${t.action}` : ""}${t.note ? ` · ${t.note}` : ""}${t.error ? ` · error ${t.error}` : ""}</span></div>
${baseline ? html`<div class="who">${report.agent.baseline}</div><div>${baseline.reply || "(no reply)"}</div><div class="who">Diff</div><div>${wordDiff(baseline.reply, t.reply)}</div>` : ""}
${t.draft !== undefined && t.draft !== t.reply ? html`<div class="who">Agent wrote</div><div>${t.draft}</div>` : ""}
</div>`;
})}
<ul class="checks">${run.checks.map((check) => html`<li class="${check.status}">${check.status}: ${describeCheck(check)}</li>`)}</ul>
</details>`;
}
