import { cell, percent, textTable } from "../../evaluation/index.ts";
import type { ExpectedCallCheck } from "../check-expected-calls.ts";
import type { SimulationCheck } from "../check-trial.ts";
import type { SimulationResult, SimulationSummary, VersionTrials } from "../run-simulation.ts";

/** What `mainstay simulate` writes as JSON; the HTML report and the terminal table read it. */
export interface SimulationReport extends SimulationResult {
  kind: "simulate";
  files: string[];
  agent: { id: string; candidate: string; baseline: string | null };
  options: { trials: number; concurrency: number };
  /** `scripted` or `provider/model`. */
  customer: string;
  /** `provider/model` of the judge, or null when `assertions` were skipped. */
  judge: string | null;
  /** The expected tool calls against the candidate's tools, checked without running. */
  expectedCalls: ExpectedCallCheck[];
  startedAt: string;
  finishedAt: string;
}

export function describeSimulationCheck(check: SimulationCheck): string {
  return `${check.assertion} ${check.expected}${check.detail ? `: ${check.detail}` : ""}`;
}

/** The first failing check of the trials, as one line. */
export function firstTrialFailure(outcome: VersionTrials | undefined): string {
  const failed = outcome?.trials.flatMap((t) => t.checks).find((c) => c.status === "fail");
  return failed ? describeSimulationCheck(failed) : "";
}

const passes = (v?: VersionTrials) => (v ? `${v.passes}/${v.trials.length}` : "-");

/** One row per scenario, then each version's pass^k and pass@1, and the gate's verdict. */
export function formatSimulationTable(report: SimulationReport): string {
  const k = report.options.trials;
  const rows = report.scenarios.map((s) => [
    s.status === "pass" ? "pass" : s.status.toUpperCase(),
    cell(s.name, 40),
    passes(s.candidate),
    passes(s.baseline),
    cell(firstTrialFailure(s.candidate), 90),
  ]);
  const header = [
    "RESULT",
    "SCENARIO",
    `@${report.agent.candidate}`,
    report.agent.baseline ? `@${report.agent.baseline}` : "BASELINE",
    "FIRST FAILURE",
  ];
  const lines = [textTable(header, rows), summaryLine("candidate", report.candidate, k)];
  if (report.baseline) lines.push(summaryLine("baseline ", report.baseline, k));
  const invalid = report.expectedCalls.filter((c) => c.status !== "ok");
  if (invalid.length > 0) {
    const list = invalid.map((c) => `${c.scenario}: ${c.name} (${c.status})`).join("; ");
    lines.push(`expected tool calls the candidate cannot make: ${list}`);
  }
  const { gate } = report;
  const why = [
    `pass^${k} ${percent(gate.passHatK)}, needs ${percent(gate.minPass)}`,
    ...(gate.worse ? ["below the baseline"] : []),
    ...(gate.regressions.length ? [`regressed: ${gate.regressions.join(", ")}`] : []),
  ];
  lines.push(`gate: ${gate.passed ? "PASS" : "FAIL"} (${why.join("; ")})`);
  const skipped = report.scenarios
    .flatMap((s) => s.candidate.trials.flatMap((t) => t.checks))
    .filter((c) => c.status === "skipped").length;
  const notApplied = new Set(report.scenarios.flatMap((s) => s.notApplied ?? []));
  for (const note of notApplied) lines.push(`note: ${note}`);
  if (skipped > 0 && !report.judge) {
    lines.push(`note: ${skipped} assertion check(s) skipped: the scenario files set no judge`);
  }
  return `${lines.join("\n")}\n`;
}

function summaryLine(label: string, s: SimulationSummary, k: number): string {
  return `${label} ${s.version}: pass^${k} ${percent(s.passHatK)}, pass@1 ${percent(s.passAt1)} (${s.passed}/${s.scenarios} scenarios passed every trial; ${s.handoffs} trial(s) handed off)`;
}
