import type { EvalRunRecord } from "../../store/index.ts";
import type { ReplayedConversation, ReplayResult } from "../replay/run-replay.ts";
import { histogramSvg } from "./histogram-svg.ts";
import { type Html, html, page, wordDiff } from "./html-page.ts";
import { cell, textTable, usd } from "./text-table.ts";

/** What `mainstay replay` writes as JSON. */
export interface ReplayReport extends ReplayResult {
  kind: "replay";
  agent: { id: string; candidate: string };
  /** The recorded window, or the dataset file replayed. */
  source: { from: string; to: string } | { dataset: string };
  sample: { size: number | null; seed: string };
  judge: string | null;
  startedAt: string;
  finishedAt: string;
}

/** Conversations listed as most changed, in the table and at the top of the HTML report. */
export const MOST_CHANGED = 10;

const arrow = (a: unknown, b: unknown) => `${a ?? "-"} -> ${b ?? "-"}`;

export function formatReplayTable(report: ReplayReport): string {
  const rows = report.conversations
    .slice(0, MOST_CHANGED)
    .map((c) => [
      c.change.toFixed(2),
      c.id,
      String(c.turns.length),
      c.similarity.toFixed(2),
      arrow(c.handoff.baseline, c.handoff.candidate),
      arrow(c.findings.baseline, c.findings.candidate),
      cell(c.turns.find((t) => t.similarity < 1)?.candidate.reply ?? "", 60),
    ]);
  const s = report.summary;
  const lines = [
    `most changed (of ${s.conversations} conversations, ${s.turns} turns):`,
    textTable(
      ["CHANGE", "CONVERSATION", "TURNS", "SIMILAR", "HANDOFF", "FINDINGS", "CANDIDATE SAID"],
      rows,
    ),
    `similarity ${s.similarity.toFixed(2)}; handoffs ${s.handoffs.baseline} -> ${s.handoffs.candidate}; findings ${s.findings.baseline} -> ${s.findings.candidate}`,
    `latency p50 ${Math.round(s.latencyMs.baseline.p50)} -> ${Math.round(s.latencyMs.candidate.p50)} ms, p95 ${Math.round(s.latencyMs.baseline.p95)} -> ${Math.round(s.latencyMs.candidate.p95)} ms; cost ${usd(s.cost.baseline)} -> ${usd(s.cost.candidate)}`,
    s.judgedWorse === null
      ? "judge: none"
      : `judge: ${s.judgedWorse} conversation(s) worse on the candidate`,
  ];
  return `${lines.join("\n")}\n`;
}

/** Replay passes when the candidate raises no more findings and the judge finds none worse. */
export function replayPassed(report: ReplayReport): boolean {
  const s = report.summary;
  return s.findings.candidate <= s.findings.baseline && (s.judgedWorse ?? 0) === 0;
}

export function replayRunOf(report: ReplayReport, id: string): EvalRunRecord {
  const { conversations, ...summary } = report;
  return {
    id,
    kind: "replay",
    agentId: report.agent.id,
    agentVersion: report.agent.candidate,
    baselineVersion: null,
    name:
      "dataset" in report.source
        ? report.source.dataset
        : `${report.source.from}..${report.source.to}`,
    passed: replayPassed(report),
    summary: {
      ...summary.summary,
      source: report.source,
      sample: report.sample,
      judge: report.judge,
    },
    cases: conversations.map((c) => ({
      conversation: c.id,
      change: c.change,
      similarity: c.similarity,
      handoff: c.handoff,
      findings: c.findings,
    })),
    startedAt: Date.parse(report.startedAt),
    finishedAt: Date.parse(report.finishedAt),
  };
}

export function replayHtml(report: ReplayReport): string {
  const title = `Replay: ${report.agent.id}@${report.agent.candidate} against recorded conversations`;
  const s = report.summary;
  const turns = report.conversations.flatMap((c) => c.turns);
  return page(
    title,
    html`<h1>${title}</h1>
<div class="sub">${"dataset" in report.source ? report.source.dataset : `${report.source.from} to ${report.source.to}`} · ${s.conversations} conversations · ${s.turns} turns · judge: ${report.judge ?? "none"}</div>
<div class="cards">
${[
  ["Similarity", s.similarity.toFixed(2)],
  ["Handoffs", arrow(s.handoffs.baseline, s.handoffs.candidate)],
  ["Findings", arrow(s.findings.baseline, s.findings.candidate)],
  ["Cost", arrow(usd(s.cost.baseline), usd(s.cost.candidate))],
  ["Judged worse", s.judgedWorse ?? "no judge"],
].map(([k, v]) => html`<div class="card"><div class="k">${k}</div><div class="v">${v}</div></div>`)}
</div>
<h2>Distributions</h2>
<div class="charts"><div class="chart">${histogramSvg("Reply latency", "ms", [
      {
        label: "recorded",
        color: "#8c959f",
        values: turns.flatMap((t) => t.baseline.latencyMs ?? []),
      },
      {
        label: report.agent.candidate,
        color: "#0969da",
        values: turns.map((t) => t.candidate.latencyMs),
      },
    ])}</div>
<div class="chart">${histogramSvg("Reply similarity", "0..1", [
      { label: "per turn", color: "#0969da", values: turns.map((t) => t.similarity) },
    ])}</div></div>
<h2>Conversations, most changed first</h2>
${report.conversations.map((c, i) => conversationDetails(c, i < MOST_CHANGED && c.change > 0))}`,
  );
}

function conversationDetails(c: ReplayedConversation, highlight: boolean): Html {
  return html`<details${highlight ? " open" : ""}><summary>${highlight ? "▲ " : ""}${c.id} <span class="meta">change ${c.change.toFixed(2)} · similarity ${c.similarity.toFixed(2)} · handoff ${arrow(c.handoff.baseline, c.handoff.candidate)} · findings ${arrow(c.findings.baseline, c.findings.candidate)}${c.judge ? ("notWorse" in c.judge ? ` · judge: ${c.judge.notWorse ? "not worse" : "worse"} (${c.judge.reason})` : ` · judge failed: ${c.judge.error}`) : ""}</span></summary>
${c.turns.map(
  (t) => html`<div class="turn">
<div class="who">Customer</div><div>${t.baseline.customer}</div>
<div class="who">Recorded</div><div>${t.baseline.reply} <span class="meta">${t.baseline.latencyMs ?? "?"} ms${t.baseline.handoff ? ` · handoff ${t.baseline.handoff}` : ""}</span></div>
<div class="who">Candidate</div><div>${t.candidate.reply || "(no reply)"} <span class="meta">${t.candidate.latencyMs} ms${t.candidate.handoff ? ` · handoff ${t.candidate.handoff}` : ""}${t.candidate.action !== "allow" ? ` · ${t.candidate.action}` : ""}</span></div>
<div class="who">Diff</div><div>${wordDiff(t.baseline.reply, t.candidate.reply)}</div>
</div>`,
)}
</details>`;
}
