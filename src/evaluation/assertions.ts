import { isDeepStrictEqual } from "node:util";
import { describeError } from "../shared/errors.ts";
import { formatTranscript, type Judge } from "./judge.ts";
import type { TurnRecord } from "./run-conversation.ts";
import { lexicalSimilarity } from "./similarity.ts";
import type { Expectation } from "./suite-schema.ts";

export type CheckStatus = "pass" | "fail" | "skipped";

/** One assertion checked: what was expected, and what was found when it failed. */
export interface CheckResult {
  /** 1-based turn number; absent for a conversation-level assertion. */
  turn?: number;
  assertion: keyof Expectation;
  expected: string;
  status: CheckStatus;
  detail?: string;
}

export interface CheckScope {
  /** The turns the assertion reads: one turn, or every turn of the conversation. */
  turns: TurnRecord[];
  /** Everything said up to the checked turn, for the judge. */
  transcript: TurnRecord[];
  turn?: number;
  judge?: Judge;
}

type Outcome = { status: CheckStatus; detail?: string };

const pass: Outcome = { status: "pass" };
const fail = (detail: string): Outcome => ({ status: "fail", detail });
const quote = (s: string) => JSON.stringify(s.length > 120 ? `${s.slice(0, 117)}...` : s);

/**
 * Check every assertion of an expectation. Read over several turns, `contains`, `regex`,
 * `finding`, `action`, `tool_called` and `similar_to` need one turn to match; `not_contains`
 * and `no_findings` hold on every turn; latency is the slowest turn, cost the sum.
 */
export async function checkExpectation(
  expect: Expectation,
  scope: CheckScope,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const add = (assertion: keyof Expectation, expected: string, outcome: Outcome) =>
    results.push({ ...(scope.turn ? { turn: scope.turn } : {}), assertion, expected, ...outcome });
  const { turns } = scope;
  const replies = turns.map((t) => t.reply);
  const shown = () => replies.map(quote).join(" | ") || "(no reply)";
  for (const text of expect.contains ?? []) {
    const found = replies.some((r) => r.toLowerCase().includes(text.toLowerCase()));
    add("contains", quote(text), found ? pass : fail(`reply: ${shown()}`));
  }
  for (const text of expect.not_contains ?? []) {
    const found = replies.find((r) => r.toLowerCase().includes(text.toLowerCase()));
    add("not_contains", quote(text), found === undefined ? pass : fail(`reply: ${quote(found)}`));
  }
  for (const source of expect.regex ?? []) {
    const pattern = new RegExp(source, "iu");
    add(
      "regex",
      `/${source}/i`,
      replies.some((r) => pattern.test(r)) ? pass : fail(`reply: ${shown()}`),
    );
  }
  if (expect.no_findings) {
    const found = turns.flatMap((t) => t.findings).filter((f) => f.direction === "outbound");
    const types = found.map((f) => `${f.type} (${f.rule})`).join(", ");
    add("no_findings", "no finding on the reply", found.length === 0 ? pass : fail(types));
  }
  for (const type of expect.finding ?? []) {
    const all = turns.flatMap((t) => t.findings);
    const hit = all.some((f) => f.type === type || f.type.startsWith(`${type}.`));
    const seen = all.map((f) => `${f.direction} ${f.type}`).join(", ") || "none";
    add("finding", type, hit ? pass : fail(`findings: ${seen}`));
  }
  if (expect.action) {
    const actions = turns.map((t) => t.action);
    add("action", expect.action, actions.includes(expect.action) ? pass : fail(actions.join(", ")));
  }
  if (expect.handoff !== undefined)
    add("handoff", String(expect.handoff), handoff(expect.handoff, turns));
  for (const call of expect.tool_called ?? []) {
    const expected = call.arguments ? `${call.name} ${JSON.stringify(call.arguments)}` : call.name;
    add("tool_called", expected, toolCalled(call, turns));
  }
  if (expect.max_latency_ms !== undefined) {
    const slowest = Math.max(0, ...turns.map((t) => t.latencyMs));
    const ok = slowest <= expect.max_latency_ms;
    add("max_latency_ms", `<= ${expect.max_latency_ms} ms`, ok ? pass : fail(`${slowest} ms`));
  }
  if (expect.max_cost !== undefined)
    add("max_cost", `<= $${expect.max_cost}`, cost(expect.max_cost, turns));
  if (expect.similar_to) {
    const { text, min } = expect.similar_to;
    const best = Math.max(0, ...replies.map((r) => lexicalSimilarity(r, text)));
    const outcome = best >= min ? pass : fail(`similarity ${best.toFixed(2)}; reply: ${shown()}`);
    add("similar_to", `${quote(text)} >= ${min}`, outcome);
  }
  if (expect.rubric) add("rubric", quote(expect.rubric), await rubric(expect.rubric, scope));
  return results;
}

function handoff(expected: boolean | string, turns: TurnRecord[]): Outcome {
  const reasons = turns.flatMap((t) => (t.handoff ? [t.handoff] : []));
  const got = reasons.join(", ") || "no handoff";
  if (expected === false) return reasons.length === 0 ? pass : fail(`handed off: ${got}`);
  if (expected === true) return reasons.length > 0 ? pass : fail(got);
  const matches = reasons.some((r) => r === expected || r.startsWith(`${expected}:`));
  return matches ? pass : fail(got);
}

function toolCalled(
  expected: { name: string; arguments?: Record<string, unknown> },
  turns: TurnRecord[],
): Outcome {
  const calls = turns.flatMap((t) => t.toolCalls);
  const hit = calls.some(
    (c) =>
      c.name === expected.name &&
      Object.entries(expected.arguments ?? {}).every(([k, v]) =>
        isDeepStrictEqual(c.arguments[k], v),
      ),
  );
  const seen = calls.map((c) => `${c.name} ${JSON.stringify(c.arguments)}`).join(", ");
  return hit ? pass : fail(`calls: ${seen || "none"}`);
}

function cost(max: number, turns: TurnRecord[]): Outcome {
  if (turns.some((t) => t.cost === null)) {
    return fail("cost unknown: add the model to `prices` in mainstay.yaml");
  }
  const total = turns.reduce((sum, t) => sum + (t.cost ?? 0), 0);
  return total <= max ? pass : fail(`$${total.toFixed(6)}`);
}

async function rubric(text: string, scope: CheckScope): Promise<Outcome> {
  if (!scope.judge) return { status: "skipped", detail: "no judge: set `judge` in the suite" };
  const subject = scope.turn ? `The assistant's last reply: ${text}` : text;
  try {
    const verdict = await scope.judge.grade(subject, formatTranscript(scope.transcript));
    return verdict.pass ? { status: "pass", detail: verdict.reason } : fail(verdict.reason);
  } catch (e) {
    return fail(`judge failed: ${describeError(e)}`);
  }
}
