import { type Judge, runPool } from "../evaluation/index.ts";
import { checkTrial, type SimulationCheck } from "./check-trial.ts";
import { passHatK } from "./pass-hat-k.ts";
import { sandboxChannelFor } from "./sandbox/sandbox-channel.ts";
import { DEFAULT_TURN_WAIT, type TurnWait } from "./sandbox/sandbox-customer.ts";
import type { Sandbox } from "./sandbox/start-sandbox.ts";
import type { Scenario } from "./scenario-schema.ts";
import { type SimulatedConversation, simulateConversation } from "./simulate-conversation.ts";
import type { SimulatedCustomer } from "./simulated-customer.ts";

export interface SimulationOptions {
  /** A sandbox serving the candidate version, and one serving the baseline. */
  candidate: Sandbox;
  baseline?: Sandbox;
  customer: SimulatedCustomer;
  judge?: Judge;
  /** How long one turn may take before the trial fails as stuck. */
  wait?: TurnWait;
  /** K: conversations per scenario and version. */
  trials: number;
  /** Conversations run at once. */
  concurrency: number;
  /** Lowest pass^k (0..1, the mean over scenarios) the candidate may have. */
  minPass: number;
  onProgress?: (done: number, total: number) => void;
}

export interface TrialRun extends SimulatedConversation {
  passed: boolean;
  checks: SimulationCheck[];
}

export interface VersionTrials {
  trials: TrialRun[];
  passes: number;
  /** 1 when all K trials passed, else 0. */
  passHatK: number;
  /** Share of trials that passed. */
  passAt1: number;
}

export type ScenarioStatus = "pass" | "fail" | "regressed" | "fixed";

export interface ScenarioResult {
  name: string;
  source: string;
  channel: string;
  /** `regressed`: every baseline trial passed, not every candidate trial; `fixed`: reversed. */
  status: ScenarioStatus;
  candidate: VersionTrials;
  baseline?: VersionTrials;
  notChecked?: string[];
  /** The channel's rules the sandbox could not apply (it ran as another channel type). */
  notApplied?: string[];
}

export interface SimulationSummary {
  version: string;
  scenarios: number;
  /** Scenarios whose every trial passed. */
  passed: number;
  /** Mean over scenarios of pass^K. */
  passHatK: number;
  /** Mean over scenarios of the trials' pass rate. */
  passAt1: number;
  /** Mean pass^k for k = 1..K: how reliability falls as more trials must all pass. */
  curve: number[];
  /** Trials that ended with a person. */
  handoffs: number;
}

export interface SimulationResult {
  scenarios: ScenarioResult[];
  candidate: SimulationSummary;
  baseline?: SimulationSummary;
  gate: {
    passed: boolean;
    minPass: number;
    passHatK: number;
    /** The candidate's pass^k is below the baseline's. */
    worse: boolean;
    regressions: string[];
  };
}

/** Run K trials of every scenario on the candidate (and the baseline), and decide the gate. */
export async function runSimulation(
  scenarios: readonly Scenario[],
  options: SimulationOptions,
): Promise<SimulationResult> {
  const targets = [options.candidate, ...(options.baseline ? [options.baseline] : [])];
  const jobs = targets.flatMap((_, t) =>
    scenarios.flatMap((scenario, s) =>
      Array.from({ length: options.trials }, () => ({ t, s, scenario })),
    ),
  );
  const runs = await runPool(
    jobs,
    options.concurrency,
    (job) => runTrial(job.scenario, targets[job.t]!, options),
    (done) => options.onProgress?.(done, jobs.length),
  );
  const trialsOf = (t: number, s: number): VersionTrials => {
    const trials = runs.filter((_, i) => jobs[i]!.t === t && jobs[i]!.s === s);
    const passes = trials.filter((r) => r.passed).length;
    const n = trials.length;
    return { trials, passes, passHatK: passHatK(n, passes, n), passAt1: passes / n };
  };
  const results = scenarios.map((scenario, s): ScenarioResult => {
    const candidate = trialsOf(0, s);
    const baseline = options.baseline ? trialsOf(1, s) : undefined;
    const { notApplied } = sandboxChannelFor(scenario.channel);
    return {
      name: scenario.name,
      source: scenario.source,
      channel: scenario.channel,
      status: statusOf(candidate, baseline),
      candidate,
      ...(baseline ? { baseline } : {}),
      ...(scenario.notChecked?.length ? { notChecked: scenario.notChecked } : {}),
      ...(notApplied.length ? { notApplied } : {}),
    };
  });
  const candidate = summarize(options.candidate.version, results, (r) => r.candidate);
  const baseline = options.baseline
    ? summarize(options.baseline.version, results, (r) => r.baseline!)
    : undefined;
  const regressions = results.filter((r) => r.status === "regressed").map((r) => r.name);
  const worse = baseline !== undefined && candidate.passHatK < baseline.passHatK;
  return {
    scenarios: results,
    candidate,
    ...(baseline ? { baseline } : {}),
    gate: {
      passed: candidate.passHatK >= options.minPass && !worse && regressions.length === 0,
      minPass: options.minPass,
      passHatK: candidate.passHatK,
      worse,
      regressions,
    },
  };
}

async function runTrial(
  scenario: Scenario,
  target: Sandbox,
  options: SimulationOptions,
): Promise<TrialRun> {
  const wait = options.wait ?? DEFAULT_TURN_WAIT;
  const conversation = await simulateConversation(scenario, target, options.customer, wait);
  const checks = await checkTrial(scenario.success, conversation, options.judge);
  if (conversation.error) {
    checks.push({
      assertion: "ran",
      expected: "to its end",
      status: "fail",
      detail: conversation.error,
    });
  }
  return { ...conversation, passed: checks.every((c) => c.status !== "fail"), checks };
}

function statusOf(candidate: VersionTrials, baseline?: VersionTrials): ScenarioStatus {
  const all = candidate.passHatK === 1;
  if (baseline?.passHatK === 1 && !all) return "regressed";
  if (baseline && baseline.passHatK < 1 && all) return "fixed";
  return all ? "pass" : "fail";
}

function summarize(
  version: string,
  results: ScenarioResult[],
  of: (r: ScenarioResult) => VersionTrials,
): SimulationSummary {
  const mean = (values: number[]) =>
    values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
  const k = results.length ? of(results[0]!).trials.length : 0;
  const curve = Array.from({ length: k }, (_, j) =>
    mean(results.map((r) => passHatK(of(r).trials.length, of(r).passes, j + 1))),
  );
  return {
    version,
    scenarios: results.length,
    passed: results.filter((r) => of(r).passHatK === 1).length,
    passHatK: mean(results.map((r) => of(r).passHatK)),
    passAt1: mean(results.map((r) => of(r).passAt1)),
    curve,
    handoffs: results.flatMap((r) => of(r).trials).filter((t) => t.ending === "handoff").length,
  };
}
