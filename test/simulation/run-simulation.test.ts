import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { TracedStep } from "../../src/agents/index.ts";
import {
  formatSimulationTable,
  llmCustomer,
  runSimulation,
  type Sandbox,
  type SimulationReport,
  type SimulationResult,
  scriptedCustomer,
  simulationHtml,
} from "../../src/simulation/index.ts";
import { backends } from "../support/backends.ts";
import { type FakeLlmServer, startFakeOpenAI } from "../support/fake-llm-servers.ts";
import { simulationModels } from "./fake-customer.ts";
import { modelDocument, sandboxesOn, userConfig } from "./sandbox-fixtures.ts";
import { RETURN_SCENARIO, scenariosFrom } from "./scenario-fixtures.ts";

function reportOf(result: SimulationResult, baseline: string | null): SimulationReport {
  return {
    kind: "simulate",
    files: ["scenarios.yaml"],
    agent: { id: "northwind-support", candidate: result.candidate.version, baseline },
    options: { trials: result.scenarios[0]!.candidate.trials.length, concurrency: 2 },
    customer: "openai-compatible/customer-model",
    judge: null,
    expectedCalls: [],
    startedAt: "2026-03-01T00:00:00.000Z",
    finishedAt: "2026-03-01T00:00:01.000Z",
    ...result,
  };
}

/** Every reply the sandbox's store says it sent was received by its capture server. */
async function sentOnlyToCapture(sandbox: Sandbox) {
  const { store } = sandbox.instance;
  const conversations = await store.conversations.list({ limit: 200 });
  let sent = 0;
  for (const c of conversations) {
    const messages = await store.messages.list(c.id, undefined, 500);
    sent += messages.filter((m) => m.direction === "outbound" && m.status === "sent").length;
  }
  const sends = sandbox.capture.requests.filter((r) => /^\/(generic|twilio\/)/.test(r.url));
  assert.ok(sent > 0);
  assert.equal(sends.length, sent, "every sent reply went to the capture server");
}

for (const backend of backends) {
  describe(`runSimulation through the real pipeline in a sandbox (${backend.name})`, () => {
    let fake: FakeLlmServer;
    const config = userConfig();
    const sandboxes = sandboxesOn(backend);
    const versions = new Map<string, Sandbox>();
    const sandboxFor = async (model: string) => {
      const known = versions.get(model);
      if (known) return known;
      const document = modelDocument(fake.url, model);
      const sandbox = await sandboxes.start({ loaded: config.loaded, document });
      versions.set(model, sandbox);
      return sandbox;
    };
    before(async () => {
      fake = await startFakeOpenAI(simulationModels);
    });
    after(async () => {
      await sandboxes.close();
      await fake.close();
      config.cleanup();
    });

    const customer = () =>
      llmCustomer({ type: "openai-compatible", model: "customer-model", baseUrl: fake.url }, {});
    const run = async (candidate: string, baseline: string | undefined, trials = 3) => {
      const { scenarios } = scenariosFrom(RETURN_SCENARIO);
      return runSimulation(scenarios, {
        candidate: await sandboxFor(candidate),
        ...(baseline ? { baseline: await sandboxFor(baseline) } : {}),
        customer: customer(),
        trials,
        concurrency: 2,
        minPass: 1,
      });
    };

    it("a good candidate passes every trial; the tool call is the one the runtime traced", async () => {
      const result = await run("good-model", undefined);
      const [scenario] = result.scenarios;
      assert.equal(scenario!.status, "pass");
      assert.equal(scenario!.candidate.passes, 3);
      assert.deepEqual(result.candidate.curve, [1, 1, 1]);
      assert.equal(result.gate.passed, true);
      const trial = scenario!.candidate.trials[0]!;
      assert.equal(trial.ending, "done");
      assert.equal(trial.turns[0]!.customer, "Hi, can I return my phone? It came last week.");
      assert.deepEqual(trial.turns[0]!.toolCalls, [
        { name: "search_knowledge_base", arguments: { query: "return policy" } },
      ]);
      assert.match(trial.turns[0]!.reply, /30 days/);
      assert.equal(trial.turns.at(-1)!.customer, "Great, that is all I needed.");
      // The call was read back from the sandbox's stored turn trace, not from the agent.
      const sandbox = await sandboxFor("good-model");
      const { store } = sandbox.instance;
      const [conversation] = await store.conversations.list({ limit: 1 });
      const steps = (await store.turnTraces.forConversation(conversation!.id)).flatMap(
        (t) => t.steps as TracedStep[],
      );
      assert.ok(steps.some((s) => s.kind === "tool" && s.name === "search_knowledge_base"));
      // Three customers, three addresses: every trial is a new customer.
      const identities = new Set(
        (await store.conversations.list({ limit: 10 })).map((c) => c.identityId),
      );
      assert.equal(identities.size, 3);
      await sentOnlyToCapture(sandbox);
      // Nothing but model calls went to the model server.
      assert.ok(fake.requests.every((r) => r.path === "/v1/chat/completions"));
    });

    it("a regressed candidate is handed to a person in the sandbox and the diff shows it", async () => {
      const result = await run("bad-model", "good-model");
      const [scenario] = result.scenarios;
      assert.equal(scenario!.status, "regressed");
      assert.equal(scenario!.candidate.passes, 0);
      assert.equal(scenario!.baseline!.passes, 3);
      assert.deepEqual(result.gate, {
        passed: false,
        minPass: 1,
        passHatK: 0,
        worse: true,
        regressions: ["return a phone"],
      });
      const trial = scenario!.candidate.trials[0]!;
      const failed = trial.checks.filter((c) => c.status === "fail");
      // The promise never reached the customer: the policy escalated it.
      assert.deepEqual(failed.map((c) => c.assertion).sort(), [
        "handoff",
        "must_say",
        "tool_calls",
      ]);
      assert.equal(trial.ending, "handoff");
      assert.equal(trial.turns[0]!.handoff, "guardrail:commitment-escalate");
      assert.equal(trial.turns[0]!.action, "escalate");
      const { store } = (await sandboxFor("bad-model")).instance;
      const human = await store.conversations.list({ state: "human", limit: 10 });
      assert.equal(human.length, 3, "each trial's conversation is with a person in the sandbox");
      const table = formatSimulationTable(reportOf(result, "2"));
      assert.match(table, /REGRESSED\s+return a phone\s+0\/3\s+3\/3/);
      assert.match(
        table,
        /gate: FAIL \(pass\^3 0%, needs 100%; below the baseline; regressed: return a phone\)/,
      );
      assert.match(table, /note: webchat ran as a generic channel/);
      const page = simulationHtml(reportOf(result, "2"));
      assert.match(page, /^<!doctype html>/);
      assert.match(page, /<span class="pill regressed">regressed<\/span>/);
      assert.match(page, /Not applied: webchat ran as a generic channel/);
      assert.doesNotMatch(page, /<script/);
    });

    it("on SMS a reply over the segment budget is refused at delivery, as production does", async () => {
      const { scenarios } = scenariosFrom(`
channel: sms
scenarios:
  - name: long answer on SMS
    goal: Learn the return policy.
    script: { opening: "Can I return my phone?" }
    success: { must_say: returns }
`);
      const sandbox = await sandboxFor("long-model");
      const result = await runSimulation(scenarios, {
        candidate: sandbox,
        customer: scriptedCustomer,
        trials: 1,
        concurrency: 1,
        minPass: 1,
      });
      const [scenario] = result.scenarios;
      assert.equal(scenario!.notApplied, undefined, "sms runs as a Twilio channel");
      const turn = scenario!.candidate.trials[0]!.turns[0]!;
      assert.equal(turn.reply, "", "the customer received nothing");
      assert.match(turn.note ?? "", /not delivered: MS_SMS_TOO_LONG: \d+ GSM-7 segments/);
      // The outbound policy's length rule read the Twilio channel's traits too.
      assert.ok(
        turn.findings.some((f) => f.direction === "outbound" && f.type === "format.length"),
      );
      assert.equal(scenario!.status, "fail");
      const { store } = sandbox.instance;
      const [conversation] = await store.conversations.list({ limit: 1 });
      assert.equal(conversation!.channelType, "twilio");
      const events = await store.events.list(conversation!.id);
      assert.ok(events.some((e) => e.type === "message.refused"));
      assert.equal(sandbox.capture.requests.filter((r) => r.url.startsWith("/twilio/")).length, 0);
    });

    it("a turn that does not settle in its polls fails the trial as stuck", async () => {
      const { scenarios } = scenariosFrom(`
scenarios:
  - name: slow agent
    goal: Learn the return policy.
    script: { opening: "Can I return my phone?" }
    success: { must_say: wait }
`);
      const result = await runSimulation(scenarios, {
        candidate: await sandboxFor("slow-model"),
        customer: scriptedCustomer,
        wait: { polls: 2, intervalMs: 10 },
        trials: 1,
        concurrency: 1,
        minPass: 1,
      });
      const trial = result.scenarios[0]!.candidate.trials[0]!;
      assert.equal(trial.ending, "stuck");
      assert.match(trial.error ?? "", /^MS_SIM_STUCK: line 1: .* after 2 checks of the job queue/);
      assert.deepEqual(
        trial.checks.filter((c) => c.status === "fail").map((c) => c.assertion),
        ["must_say", "ended", "ran"],
      );
    });
  });
}

describe("runSimulation: pass^k over trials that sometimes pass", () => {
  let fake: FakeLlmServer;
  const config = userConfig();
  const sandboxes = sandboxesOn(backends[0]!);
  let firstLines = 0;
  before(async () => {
    // Right in its 1st and 3rd conversation, wrong in the 2nd.
    fake = await startFakeOpenAI((request) => {
      const messages = request.body["messages"] as { role: string }[];
      if (messages.filter((m) => m.role === "user").length === 1) firstLines++;
      return { text: firstLines === 2 ? "No idea." : "You have 30 days." };
    });
  });
  after(async () => {
    await sandboxes.close();
    await fake.close();
    config.cleanup();
  });

  it("an agent right in 2 of 3 trials has pass@1 2/3 and pass^3 0, and the curve falls with k", async () => {
    const { scenarios } = scenariosFrom(`
scenarios:
  - name: return window
    goal: Learn the return window.
    script:
      opening: How long do I have to return my phone?
      replies: [{ when: "30 days", say: thanks, done: true }]
    success: { must_say: 30 days }
`);
    const document = modelDocument(fake.url, "flaky-model");
    const result = await runSimulation(scenarios, {
      candidate: await sandboxes.start({ loaded: config.loaded, document }),
      customer: scriptedCustomer,
      trials: 3,
      concurrency: 1,
      minPass: 0.5,
    });
    const [scenario] = result.scenarios;
    assert.equal(scenario!.candidate.passes, 2);
    assert.equal(scenario!.candidate.passHatK, 0);
    assert.ok(Math.abs(scenario!.candidate.passAt1 - 2 / 3) < 1e-12);
    const [k1, k2, k3] = result.candidate.curve;
    assert.ok(Math.abs(k1! - 2 / 3) < 1e-12 && Math.abs(k2! - 1 / 3) < 1e-12 && k3 === 0);
    assert.equal(result.gate.passed, false);
    const failing = scenario!.candidate.trials.find((t) => !t.passed)!;
    assert.equal(failing.ending, "gave_up");
  });
});
