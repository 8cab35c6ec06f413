import type { Scenario } from "../scenario-schema.ts";
import type { Tau2Action, Tau2Task } from "./tau2-task-schema.ts";

/** What the importing scenario file gives every task. */
export interface Tau2Defaults {
  channel: string;
  language: string;
  maxTurns: number;
  /** The task file, for `source`. */
  file: string;
}

/**
 * A tau2-bench task as one of our scenarios: the user scenario becomes the customer's goal,
 * knowledge and persona; the expected actions, the information to communicate and the
 * natural-language assertions become success criteria. What only the benchmark's own
 * Python environment can check (its database end state, environment assertions, initial
 * state) is listed in `notChecked` (docs/simulation.md).
 */
export function tau2Scenario(task: Tau2Task, defaults: Tau2Defaults): Scenario {
  const { instructions, persona } = task.user_scenario;
  const structured = typeof instructions === "string" ? undefined : instructions;
  const criteria = task.evaluation_criteria ?? {};
  const actions = criteria.actions ?? [];
  const agentActions = actions.filter((a) => a.requestor === "assistant");
  const personaLines = [persona, structured?.task_instructions].filter(isText);
  const success: Scenario["success"] = {
    ...(agentActions.length ? { tool_calls: agentActions.map(expectedCall) } : {}),
    ...(criteria.communicate_info?.length ? { must_say: criteria.communicate_info } : {}),
    ...(criteria.nl_assertions?.length ? { assertions: criteria.nl_assertions } : {}),
  };
  return {
    name: `tau2 task ${task.id}`,
    goal: structured ? structured.reason_for_call : (instructions as string),
    ...(isText(structured?.known_info) ? { knows: [structured.known_info] } : {}),
    ...(isText(structured?.unknown_info) ? { unknown: [structured.unknown_info] } : {}),
    ...(personaLines.length ? { persona: personaLines.join("\n") } : {}),
    channel: defaults.channel,
    language: defaults.language,
    maxTurns: defaults.maxTurns,
    success,
    source: `${defaults.file}#${task.id}`,
    notChecked: notChecked(task, actions),
  };
}

/** Only `compare_args` are compared when the task names them, as the benchmark does. */
function expectedCall(action: Tau2Action) {
  const names = action.compare_args ?? Object.keys(action.arguments);
  const args = Object.fromEntries(names.map((k) => [k, action.arguments[k]]));
  return { name: action.name, ...(names.length ? { arguments: args } : {}) };
}

// The benchmark's default reward basis when a task names none (tasks.py, EvaluationCriteria).
const DEFAULT_REWARD_BASIS = ["DB", "COMMUNICATE"];

function notChecked(task: Tau2Task, actions: Tau2Action[]): string[] {
  const criteria = task.evaluation_criteria;
  const basis = criteria?.reward_basis ?? DEFAULT_REWARD_BASIS;
  const out: string[] = [];
  if (basis.includes("DB")) {
    out.push("DB: the database end state after the conversation (the domain's environment)");
  }
  const envAssertions = criteria?.env_assertions?.length ?? 0;
  if (envAssertions > 0) out.push(`ENV_ASSERTION: ${envAssertions} environment assertion(s)`);
  if (task.initial_state != null) out.push("initial_state: the environment's starting data");
  const userActions = actions.filter((a) => a.requestor === "user").length;
  if (userActions > 0) out.push(`${userActions} action(s) the user takes on their own device`);
  return out;
}

const isText = (v: string | null | undefined): v is string =>
  typeof v === "string" && v.trim() !== "" && v.trim() !== ".";
