import { type Html, html, page, percent, pill } from "../../evaluation/index.ts";
import type { ScenarioResult, TrialRun } from "../run-simulation.ts";
import { shareBarsSvg } from "./share-bars-svg.ts";
import {
  describeSimulationCheck,
  firstTrialFailure,
  type SimulationReport,
} from "./simulation-report.ts";

const CANDIDATE = "#0969da";
const BASELINE = "#8c959f";

/** The self-contained HTML report of a simulation run, in the style of the eval report. */
export function simulationHtml(report: SimulationReport): string {
  const { agent, gate } = report;
  const k = report.options.trials;
  const versus = agent.baseline ? ` vs ${agent.baseline}` : "";
  const title = `Simulation: ${agent.id}@${agent.candidate}${versus}`;
  const series = [
    { label: agent.candidate, color: CANDIDATE },
    ...(agent.baseline ? [{ label: agent.baseline, color: BASELINE }] : []),
  ];
  const versions = [report.candidate, ...(report.baseline ? [report.baseline] : [])];
  const pick = (s: ScenarioResult) => [s.candidate, ...(s.baseline ? [s.baseline] : [])];
  return page(
    title,
    html`<h1>${title}</h1>
<div class="sub">${report.scenarios.length} scenarios × ${k} trial(s) · customer: ${report.customer} · judge: ${report.judge ?? "none (assertions skipped)"} · finished ${report.finishedAt}</div>
<div class="cards">
  <div class="gate ${gate.passed ? "pass" : "fail"}">Gate ${gate.passed ? "PASS" : "FAIL"}</div>
  ${card(`pass^${k}`, `${percent(gate.passHatK)} (needs ${percent(gate.minPass)})`)}
  ${card("pass@1", percent(report.candidate.passAt1))}
  ${report.baseline ? card(`Baseline pass^${k}`, percent(report.baseline.passHatK)) : ""}
  ${card("Regressions", String(gate.regressions.length))}
  ${card("Handed off", `${report.candidate.handoffs} trial(s)`)}
</div>
<h2>Reliability</h2>
<div class="charts">
  <div class="chart">${shareBarsSvg(
    `Trials passed per scenario (a full bar is pass^${k} = 1)`,
    series,
    report.scenarios.map((s) => ({
      label: s.name,
      values: pick(s).map((v) => v.passAt1),
      notes: pick(s).map((v) => `${v.passes}/${v.trials.length}`),
    })),
  )}</div>
  <div class="chart">${shareBarsSvg(
    "pass^k: the share of scenarios whose k trials all pass",
    series,
    report.candidate.curve.map((_, j) => ({
      label: `k = ${j + 1}`,
      values: versions.map((v) => v.curve[j] ?? 0),
    })),
  )}</div>
</div>
<h2>Scenarios</h2>
<table>
<tr><th>Result</th><th>Scenario</th><th>${agent.candidate}</th>${agent.baseline ? html`<th>${agent.baseline}</th>` : ""}<th>First failure</th></tr>
${report.scenarios.map(
  (s) =>
    html`<tr><td>${pill(s.status)}</td><td><a href="#${anchor(s.name)}">${s.name}</a><div class="meta">${s.source}</div></td><td>${s.candidate.passes}/${s.candidate.trials.length}</td>${agent.baseline ? html`<td>${s.baseline ? `${s.baseline.passes}/${s.baseline.trials.length}` : ""}</td>` : ""}<td>${firstTrialFailure(s.candidate)}</td></tr>`,
)}
</table>
${expectedCalls(report)}
<h2>Transcripts</h2>
${report.scenarios.map((s) => scenarioDetails(s, report))}`,
  );
}

const card = (label: string, value: string) =>
  html`<div class="card"><div class="k">${label}</div><div class="v">${value}</div></div>`;

const anchor = (name: string) => `scenario-${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;

function expectedCalls(report: SimulationReport): Html | string {
  if (report.expectedCalls.length === 0) return "";
  return html`<h2>Expected tool calls against ${report.agent.id}@${report.agent.candidate}'s tools (offline)</h2>
<table><tr><th>Check</th><th>Scenario</th><th>Call</th><th>Detail</th></tr>
${report.expectedCalls.map(
  (c) =>
    html`<tr><td>${pill(c.status === "ok" ? "pass" : "fail")}</td><td>${c.scenario}</td><td><code>${c.name} ${JSON.stringify(c.arguments)}</code></td><td>${c.detail ?? ""}</td></tr>`,
)}
</table>`;
}

function scenarioDetails(s: ScenarioResult, report: SimulationReport): Html {
  const open = s.status === "pass" || s.status === "fixed" ? "" : " open";
  const shown = (trials: TrialRun[]) => trials.find((t) => !t.passed) ?? trials[0]!;
  return html`<details id="${anchor(s.name)}"${open}><summary>${pill(s.status)} ${s.name} <span class="meta">(${s.channel})</span></summary>
${s.notChecked ? html`<div class="meta">Not checked here: ${s.notChecked.join("; ")}</div>` : ""}
${s.notApplied ? html`<div class="meta">Not applied: ${s.notApplied.join("; ")}</div>` : ""}
${trialDetails(report.agent.candidate, shown(s.candidate.trials))}
${s.baseline && report.agent.baseline ? trialDetails(report.agent.baseline, shown(s.baseline.trials)) : ""}
</details>`;
}

function trialDetails(version: string, trial: TrialRun): Html {
  return html`<h3>${version}: ${trial.passed ? "a passing trial" : "a failing trial"} · ended: ${trial.ending}</h3>
${trial.turns.map(
  (t) => html`<div class="turn">
<div class="who">Customer</div><div>${t.customer}</div>
<div class="who">${version}</div><div>${t.reply || "(no reply)"} <span class="meta">${t.latencyMs} ms${t.toolCalls.length ? ` · tools ${t.toolCalls.map((c) => `${c.name} ${JSON.stringify(c.arguments)}`).join(", ")}` : ""}${t.handoff ? ` · handoff ${t.handoff}` : ""}${t.action !== "allow" ? ` · ${t.action}` : ""}${t.note ? ` · ${t.note}` : ""}${t.error ? ` · error ${t.error}` : ""}</span></div>
</div>`,
)}
<ul class="checks">${trial.checks.map((c) => html`<li class="${c.status}">${c.status}: ${describeSimulationCheck(c)}</li>`)}</ul>`;
}
