import type { EvalRunRecord } from "../../store/index.ts";
import type { CheckResult } from "../assertions.ts";
import type { CaseResult, SuiteResult, VersionOutcome, VersionSummary } from "../run-suite.ts";
import { cell, percent, textTable, usd } from "./text-table.ts";

/** What `mainstay eval` writes as JSON; the HTML report and the terminal table read it. */
export interface EvalReport extends SuiteResult {
  kind: "eval";
  suite: { name: string; file: string };
  agent: { id: string; candidate: string; baseline: string | null };
  options: { concurrency: number; repeat: number };
  /** `provider/model` of the judge, or null when rubric assertions were skipped. */
  judge: string | null;
  startedAt: string;
  finishedAt: string;
}

/** The first failing check of a case's runs, as one line. */
export function firstFailure(outcome: VersionOutcome | undefined): string {
  const failed = outcome?.runs.flatMap((r) => r.checks).find((c) => c.status === "fail");
  return failed ? describeCheck(failed) : "";
}

export function describeCheck(check: CheckResult): string {
  const where = check.turn ? `turn ${check.turn} ` : "";
  const detail = check.detail ? `: ${check.detail}` : "";
  return `${where}${check.assertion} ${check.expected}${detail}`;
}

const runsPassed = (outcome?: VersionOutcome) =>
  outcome ? `${outcome.runs.filter((r) => r.passed).length}/${outcome.runs.length}` : "-";

/** The terminal table: one row per case, then the summary and the gate's verdict. */
export function formatEvalTable(report: EvalReport): string {
  const rows = report.cases.map((c: CaseResult) => [
    c.status === "pass" ? "pass" : c.status.toUpperCase(),
    cell(c.name, 40),
    runsPassed(c.candidate),
    runsPassed(c.baseline),
    cell(firstFailure(c.candidate), 90),
  ]);
  const header = [
    "RESULT",
    "CASE",
    `@${report.agent.candidate}`,
    report.agent.baseline ? `@${report.agent.baseline}` : "BASELINE",
    "FIRST FAILURE",
  ];
  const lines = [textTable(header, rows), summaryLine("candidate", report.candidate)];
  if (report.baseline) lines.push(summaryLine("baseline ", report.baseline));
  const { gate } = report;
  const regressions = gate.regressions.length ? `; regressed: ${gate.regressions.join(", ")}` : "";
  lines.push(
    `gate: ${gate.passed ? "PASS" : "FAIL"} (pass rate ${percent(gate.passRate)}, needs ${percent(gate.minPassRate)}${regressions})`,
  );
  if (!report.judge && report.candidate.skipped > 0) {
    lines.push(
      `note: ${report.candidate.skipped} rubric assertion(s) skipped: the suite sets no judge`,
    );
  }
  return `${lines.join("\n")}\n`;
}

function summaryLine(label: string, s: VersionSummary): string {
  const unknown = s.cost.unknown ? ` (${s.cost.unknown} with unknown cost)` : "";
  return `${label} ${s.version}: ${s.passed}/${s.cases} cases passed; latency p50 ${Math.round(s.latencyMs.p50)} ms, p95 ${Math.round(s.latencyMs.p95)} ms; cost ${usd(s.cost.mean)} per conversation${unknown}`;
}

/** The stored row of an eval run: its verdict, summary figures and each case's outcome. */
export function evalRunOf(report: EvalReport, id: string): EvalRunRecord {
  return {
    id,
    kind: "eval",
    agentId: report.agent.id,
    agentVersion: report.agent.candidate,
    baselineVersion: report.agent.baseline,
    name: report.suite.name,
    passed: report.gate.passed,
    summary: {
      gate: report.gate,
      candidate: report.candidate,
      ...(report.baseline ? { baseline: report.baseline } : {}),
      judge: report.judge,
      options: report.options,
    },
    cases: report.cases.map((c) => ({
      name: c.name,
      status: c.status,
      runs: runsPassed(c.candidate),
      ...(c.baseline ? { baselineRuns: runsPassed(c.baseline) } : {}),
      failure: firstFailure(c.candidate) || null,
    })),
    startedAt: Date.parse(report.startedAt),
    finishedAt: Date.parse(report.finishedAt),
  };
}
