import { type CheckResult, checkExpectation } from "./assertions.ts";
import type { ContactDirectory, EvalTarget, TurnSettings } from "./eval-target.ts";
import type { Judge } from "./judge.ts";
import { runConversation, type TurnRecord } from "./run-conversation.ts";
import { runPool } from "./run-pool.ts";
import { type Distribution, distribution } from "./statistics.ts";
import type { Suite, SuiteCase } from "./suite-schema.ts";

export interface SuiteRunOptions {
  candidate: EvalTarget;
  baseline?: EvalTarget;
  settings: TurnSettings;
  contacts: ContactDirectory;
  judge?: Judge;
  /** Conversations run at once. */
  concurrency: number;
  /** Runs of each case; a case passes only when every run passes. */
  repeat: number;
  onProgress?: (done: number, total: number) => void;
}

/** One run of a case: the transcript and every assertion checked on it. */
export interface CaseRun {
  passed: boolean;
  turns: TurnRecord[];
  checks: CheckResult[];
}

export interface VersionOutcome {
  passed: boolean;
  runs: CaseRun[];
}

export type CaseStatus = "pass" | "fail" | "regressed" | "fixed";

export interface CaseResult {
  name: string;
  channel: string;
  /** `regressed`: passes on the baseline, fails on the candidate; `fixed`: the other way. */
  status: CaseStatus;
  candidate: VersionOutcome;
  baseline?: VersionOutcome;
}

export interface VersionSummary {
  version: string;
  cases: number;
  passed: number;
  passRate: number;
  /** Per agent reply, in ms. */
  latencyMs: Distribution;
  /** Per conversation run, in USD (runs whose cost is unknown are left out). */
  cost: Distribution & { unknown: number };
  /** Assertions skipped (a rubric without a judge). */
  skipped: number;
}

export interface SuiteResult {
  cases: CaseResult[];
  candidate: VersionSummary;
  baseline?: VersionSummary;
  gate: { passed: boolean; minPassRate: number; passRate: number; regressions: string[] };
}

/** Run every case against the candidate (and the baseline), check it, and decide the gate. */
export async function runSuite(suite: Suite, options: SuiteRunOptions): Promise<SuiteResult> {
  const targets = [options.candidate, ...(options.baseline ? [options.baseline] : [])];
  const jobs = targets.flatMap((_, t) =>
    suite.cases.flatMap((c, i) =>
      Array.from({ length: options.repeat }, () => ({ target: t, index: i, case: c })),
    ),
  );
  const runs = await runPool(
    jobs,
    options.concurrency,
    (job) => runCase(suite, job.case, targets[job.target]!, options),
    (done) => options.onProgress?.(done, jobs.length),
  );
  const outcome = (t: number, i: number): VersionOutcome => {
    const mine = runs.filter((_, k) => jobs[k]!.target === t && jobs[k]!.index === i);
    return { passed: mine.every((r) => r.passed), runs: mine };
  };
  const cases = suite.cases.map((c, i): CaseResult => {
    const candidate = outcome(0, i);
    const baseline = options.baseline ? outcome(1, i) : undefined;
    return {
      name: c.name,
      channel: c.channel ?? suite.channel,
      status: statusOf(candidate.passed, baseline?.passed),
      candidate,
      ...(baseline ? { baseline } : {}),
    };
  });
  const candidate = summarize(options.candidate.agent.version, cases, (c) => c.candidate);
  const regressions = cases.filter((c) => c.status === "regressed").map((c) => c.name);
  const { minPassRate } = suite.gate;
  return {
    cases,
    candidate,
    ...(options.baseline
      ? { baseline: summarize(options.baseline.agent.version, cases, (c) => c.baseline!) }
      : {}),
    gate: {
      passed: candidate.passRate >= minPassRate && regressions.length === 0,
      minPassRate,
      passRate: candidate.passRate,
      regressions,
    },
  };
}

async function runCase(
  suite: Suite,
  scripted: SuiteCase,
  target: EvalTarget,
  options: SuiteRunOptions,
): Promise<CaseRun> {
  const channel = scripted.channel ?? suite.channel;
  const channels = [...new Set([channel, ...(scripted.contact?.channels ?? [])])];
  const contactId = options.contacts.add({
    displayName: scripted.contact?.name ?? null,
    identities: channels.map((channelType) => ({ channelType })),
  });
  const turns = await runConversation(
    target,
    { channel, contactId, turns: scripted.turns.map((t) => t.customer) },
    options.settings,
  );
  const checks: CheckResult[] = [];
  for (const [i, turn] of scripted.turns.entries()) {
    if (!turn.expect) continue;
    const scope = { turns: [turns[i]!], transcript: turns.slice(0, i + 1), turn: i + 1 };
    checks.push(...(await checkExpectation(turn.expect, { ...scope, judge: options.judge })));
  }
  if (scripted.expect) {
    const scope = { turns, transcript: turns, judge: options.judge };
    checks.push(...(await checkExpectation(scripted.expect, scope)));
  }
  return { passed: checks.every((c) => c.status !== "fail"), turns, checks };
}

function statusOf(candidate: boolean, baseline: boolean | undefined): CaseStatus {
  if (baseline === true && !candidate) return "regressed";
  if (baseline === false && candidate) return "fixed";
  return candidate ? "pass" : "fail";
}

function summarize(
  version: string,
  cases: CaseResult[],
  of: (c: CaseResult) => VersionOutcome,
): VersionSummary {
  const runs = cases.flatMap((c) => of(c).runs);
  const asked = runs.flatMap((r) => r.turns).filter((t) => t.draft !== undefined || t.error);
  const costs = runs.map((r) =>
    r.turns.some((t) => t.cost === null) ? null : r.turns.reduce((s, t) => s + (t.cost ?? 0), 0),
  );
  const known = costs.filter((c): c is number => c !== null);
  const passed = cases.filter((c) => of(c).passed).length;
  return {
    version,
    cases: cases.length,
    passed,
    passRate: cases.length ? passed / cases.length : 0,
    latencyMs: distribution(asked.map((t) => t.latencyMs)),
    cost: { ...distribution(known), unknown: costs.length - known.length },
    skipped: runs.flatMap((r) => r.checks).filter((c) => c.status === "skipped").length,
  };
}
