import {
  type CheckStatus,
  checkExpectation,
  type Expectation,
  type Judge,
  type TurnRecord,
} from "../evaluation/index.ts";
import type { SuccessCriteria } from "./scenario-schema.ts";
import type { Ending } from "./simulated-customer.ts";

/** One success criterion checked on one trial. */
export interface SimulationCheck {
  /** The criterion: a key of `success`, or `ended` (how the conversation ended). */
  assertion: string;
  expected: string;
  status: CheckStatus;
  detail?: string;
}

/**
 * The success criteria of a scenario on one trial's transcript. They read the whole
 * conversation, as an eval case's `expect` does (docs/evaluation.md#assertions); besides
 * them, a customer who gave up or ran out of turns fails the trial.
 */
export async function checkTrial(
  success: SuccessCriteria,
  run: { turns: TurnRecord[]; ending: Ending },
  judge?: Judge,
): Promise<SimulationCheck[]> {
  const { turns } = run;
  const scope = { turns, transcript: turns, ...(judge ? { judge } : {}) };
  const expectation: Expectation = {
    ...(success.tool_calls ? { tool_called: success.tool_calls } : {}),
    ...(success.must_say ? { contains: success.must_say } : {}),
    ...(success.never_say ? { not_contains: success.never_say } : {}),
    ...(success.handoff !== undefined ? { handoff: success.handoff } : {}),
  };
  const checks: SimulationCheck[] = (await checkExpectation(expectation, scope)).map((c) => ({
    ...c,
    assertion: criterionOf[c.assertion] ?? c.assertion,
  }));
  for (const name of success.never_call ?? []) {
    const calls = turns.flatMap((t) => t.toolCalls).filter((c) => c.name === name);
    checks.push({
      assertion: "never_call",
      expected: name,
      ...(calls.length === 0
        ? { status: "pass" }
        : { status: "fail", detail: `called ${calls.length} time(s)` }),
    });
  }
  for (const statement of success.assertions ?? []) {
    const [graded] = await checkExpectation({ rubric: statement }, scope);
    checks.push({ ...graded!, assertion: "assertions" });
  }
  const ended = run.ending === "done" || run.ending === "handoff";
  checks.push({
    assertion: "ended",
    expected: "customer done or handed off",
    ...(ended ? { status: "pass" } : { status: "fail", detail: ENDINGS[run.ending] }),
  });
  return checks;
}

const criterionOf: Partial<Record<keyof Expectation, string>> = {
  tool_called: "tool_calls",
  contains: "must_say",
  not_contains: "never_say",
};

const ENDINGS: Record<Ending, string> = {
  done: "the customer was done",
  handoff: "handed off",
  gave_up: "the customer gave up",
  max_turns: "the customer's turns ran out",
  stuck: "a turn did not settle",
};
