import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, it } from "node:test";
import type { ToolCall } from "../../src/agents/index.ts";
import { parseAgentDocument } from "../../src/agents/index.ts";
import type { TurnRecord } from "../../src/evaluation/index.ts";
import {
  checkExpectedCalls,
  checkTrial,
  parseTau2Tasks,
  toolSpecsOf,
} from "../../src/simulation/index.ts";
import { scenariosFrom } from "./scenario-fixtures.ts";

const FIXTURE = resolve(import.meta.dirname, "fixtures/northwind-tau2.json");
const EXAMPLE_AGENT = resolve(import.meta.dirname, "../../examples/agents/support-openai.yaml");

const imported = () => scenariosFrom(`tau2: ${JSON.stringify(FIXTURE)}\nchannel: sms\n`).scenarios;

describe("tau2-bench task import", () => {
  it("turns the user scenario into the customer and the criteria into success checks", () => {
    const [ret, order, cancel] = imported();
    assert.deepEqual(
      { ...ret!, success: ret!.success },
      {
        name: "tau2 task nw-return-1",
        goal: "You want to return the phone that was delivered last week.",
        knows: ["Your name is Grace Hopper."],
        unknown: ["You do not know the return window."],
        persona:
          "Calm, writes short messages.\nAsk whether you can still return it. Leave once you know how long you have.",
        channel: "sms",
        language: "en",
        maxTurns: 8,
        // compare_args: [] compares the name only.
        success: {
          tool_calls: [{ name: "search_knowledge_base" }],
          must_say: ["30 days"],
          assertions: ["The agent does not promise a refund before the phone is back."],
        },
        source: `${FIXTURE}#nw-return-1`,
        notChecked: [],
      },
    );
    assert.deepEqual(order!.success.tool_calls, [
      { name: "order_status", arguments: { order_number: "NW-204518" } },
    ]);
    // No reward basis: the benchmark's default, DB and COMMUNICATE.
    assert.deepEqual(order!.notChecked, [
      "DB: the database end state after the conversation (the domain's environment)",
      "initial_state: the environment's starting data",
    ]);
    assert.equal(cancel!.goal, "You want to cancel order 204518 and you are in a hurry.");
    // compare_args picks the arguments compared; the user's own action is not the agent's.
    assert.deepEqual(cancel!.success.tool_calls, [
      { name: "order_status", arguments: { order_number: "204518" } },
      { name: "cancel_order", arguments: { order_number: "NW-204518" } },
    ]);
    assert.deepEqual(cancel!.notChecked, [
      "DB: the database end state after the conversation (the domain's environment)",
      "ENV_ASSERTION: 1 environment assertion(s)",
      "1 action(s) the user takes on their own device",
    ]);
  });

  it("scores the expected tool calls offline against the example agent's tool layer", async () => {
    const document = parseAgentDocument(readFileSync(EXAMPLE_AGENT, "utf8"), EXAMPLE_AGENT, {
      secrets: ["openai", "northwind-orders"],
    });
    const checks = await checkExpectedCalls(imported(), toolSpecsOf(document));
    assert.deepEqual(
      checks.map((c) => [c.scenario, c.name, c.status]),
      [
        ["tau2 task nw-return-1", "search_knowledge_base", "ok"],
        ["tau2 task nw-order-2", "order_status", "ok"],
        ["tau2 task nw-order-3", "order_status", "invalid_arguments"],
        ["tau2 task nw-order-3", "cancel_order", "unknown_tool"],
      ],
    );
    assert.match(checks[2]!.detail!, /order_number must match pattern/);
    // The built-in agent has no tools at all.
    const builtin = await checkExpectedCalls(imported(), toolSpecsOf(undefined));
    assert.ok(builtin.every((c) => c.status === "unknown_tool"));
  });

  it("scores a transcript's tool calls against the expected actions, as the benchmark's action check", async () => {
    const [, order] = imported();
    const turn = (toolCalls: ToolCall[]): TurnRecord => ({
      customer: "where is NW-204518?",
      reply: "It is on its way.",
      author: "agent",
      action: "allow",
      findings: [],
      handoff: null,
      toolCalls,
      latencyMs: 0,
      cost: 0,
    });
    const right = turn([{ name: "order_status", arguments: { order_number: "NW-204518" } }]);
    const wrong = turn([{ name: "order_status", arguments: { order_number: "NW-000001" } }]);
    const ok = await checkTrial(order!.success, { turns: [right], ending: "done" });
    assert.ok(
      ok.every((c) => c.status === "pass"),
      JSON.stringify(ok),
    );
    const bad = await checkTrial(order!.success, { turns: [wrong], ending: "done" });
    assert.deepEqual(
      bad.filter((c) => c.status === "fail").map((c) => c.assertion),
      ["tool_calls"],
    );
  });

  it("a broken task file names the file, line and field", () => {
    const text = readFileSync(FIXTURE, "utf8").replace('"name": "order_status"', '"name": 7');
    assert.throws(
      () => parseTau2Tasks(text, "tasks.json"),
      /tasks\.json:51:19: \[1\]\.evaluation_criteria\.actions\[0\]\.name: /,
    );
  });
});
