import assert from "node:assert/strict";
import { resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  contactDirectory,
  createJudge,
  type EvalTarget,
  loadSuite,
  parseSuite,
  runSuite,
} from "../../src/evaluation/index.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { type FakeLlmServer, startFakeOpenAI } from "../support/fake-llm-servers.ts";
import { builtinTarget, EXAMPLES, llmTarget, settings } from "./eval-fixtures.ts";
import { supportModel } from "./fake-support-model.ts";

const options = () => ({
  settings: settings(),
  contacts: contactDirectory(),
  concurrency: 4,
  repeat: 1,
});

describe("the example suites against the built-in agent", () => {
  it("support.yaml passes, its rubric skipped with a note for want of a judge", async () => {
    const suite = loadSuite(resolve(EXAMPLES, "evals/support.yaml"));
    const result = await runSuite(suite, { ...options(), candidate: builtinTarget() });
    const failures = result.cases.flatMap((c) =>
      c.candidate.runs.flatMap((r) => r.checks.filter((k) => k.status === "fail")),
    );
    assert.deepEqual(failures, []);
    assert.equal(result.gate.passed, true);
    assert.equal(result.candidate.skipped, 1);
    const rubric = result.cases
      .flatMap((c) => c.candidate.runs[0]!.checks)
      .find((c) => c.assertion === "rubric");
    assert.equal(rubric?.status, "skipped");
    assert.match(rubric?.detail ?? "", /no judge/);
  });

  it("regression.yaml fails the gate, naming what the agent said", async () => {
    const suite = loadSuite(resolve(EXAMPLES, "evals/regression.yaml"));
    const result = await runSuite(suite, { ...options(), candidate: builtinTarget() });
    assert.equal(result.gate.passed, false);
    assert.deepEqual(
      result.cases.map((c) => c.status),
      ["fail", "fail", "pass"],
    );
    const checks = result.cases[0]!.candidate.runs[0]!.checks;
    assert.deepEqual(
      checks.map((c) => [c.assertion, c.status]),
      [
        ["contains", "fail"],
        ["not_contains", "fail"],
      ],
    );
    assert.match(checks[0]!.detail!, /\$9\.99/);
    const [handoff, similar] = result.cases[1]!.candidate.runs[0]!.checks;
    assert.equal(handoff!.status, "pass");
    assert.match(similar!.detail!, /^similarity 0\.\d\d; reply: "Start a return/);
  });
});

describe("a regressed LLM candidate against a good baseline (fake OpenAI server)", () => {
  let fake: FakeLlmServer;
  before(async () => {
    fake = await startFakeOpenAI(supportModel);
  });
  after(() => fake.close());

  const suite = parseSuite(
    `
name: llm support
judge: { type: openai-compatible, model: judge-model, baseUrl: "http://placeholder/v1" }
cases:
  - name: return policy is looked up
    turns:
      - customer: What is your return policy?
        expect:
          tool_called: { name: search_knowledge_base, arguments: { query: return policy } }
          contains: 30 days
          action: tag
          handoff: false
          max_cost: 0.001
  - name: refund timing, no promise
    turns:
      - customer: When will I get my refund?
        expect: { contains: 5 business days, rubric: The reply promises nothing. }
  - name: the contact profile reaches lookup_contact
    contact: { name: Grace Hopper }
    turns:
      - customer: Who am I?
        expect: { tool_called: lookup_contact, contains: Grace }
`,
    "llm.yaml",
  );

  it("passes the good version, and catches every regression of the bad one", async () => {
    const contacts = contactDirectory();
    const judge = createJudge({ ...suite.judge!, baseUrl: fake.url }, {});
    const result = await runSuite(suite, {
      ...options(),
      contacts,
      judge,
      candidate: llmTarget(fake.url, "bad-model", "v_bad000000000", contacts),
      baseline: llmTarget(fake.url, "good-model", "v_good00000000", contacts),
    });
    assert.deepEqual(
      result.cases.map((c) => [c.name, c.status, c.baseline?.passed]),
      [
        ["return policy is looked up", "regressed", true],
        ["refund timing, no promise", "regressed", true],
        ["the contact profile reaches lookup_contact", "regressed", true],
      ],
    );
    assert.equal(result.gate.passed, false);
    assert.equal(result.gate.regressions.length, 3);
    const bad = result.cases[0]!.candidate.runs[0]!;
    // The commitment rule escalates the promise: the customer never reads it.
    assert.equal(bad.turns[0]!.action, "escalate");
    assert.equal(bad.turns[0]!.handoff, "guardrail:commitment-escalate");
    assert.match(bad.turns[0]!.draft!, /guarantee/);
    const failed = bad.checks.filter((c) => c.status === "fail").map((c) => c.assertion);
    assert.deepEqual(failed, ["contains", "action", "handoff", "tool_called", "max_cost"]);
    const rubric = result.cases[1]!.baseline!.runs[0]!.checks.find((c) => c.assertion === "rubric");
    assert.equal(rubric?.status, "pass");
    assert.equal(result.baseline!.passRate, 1);
    assert.equal(result.baseline!.cost.unknown, 0);
  });

  it("repeats each case and runs them side by side", async () => {
    let progress = 0;
    const contacts = contactDirectory();
    const result = await runSuite(suite, {
      ...options(),
      contacts,
      repeat: 3,
      concurrency: 3,
      candidate: llmTarget(fake.url, "good-model", "v_good00000000", contacts),
      onProgress: (done, total) => {
        assert.equal(total, 9);
        progress = done;
      },
    });
    assert.equal(progress, 9);
    assert.deepEqual(
      result.cases.map((c) => c.candidate.runs.length),
      [3, 3, 3],
    );
    // No judge: the rubric is skipped in each of the 3 runs, and the gate still passes.
    assert.equal(result.candidate.skipped, 3);
    assert.equal(result.gate.passed, true);
  });
});

describe("turns as production answers them", () => {
  const one = (customer: string, expect = "{ handoff: false }") =>
    parseSuite(
      `cases: [{ name: c, turns: [{ customer: "${customer}", expect: ${expect} }] }]`,
      "s",
    );

  it("measures latency on the injected clock and fails max_latency_ms", async () => {
    const clock = new ManualClock();
    const slow: EvalTarget = {
      agent: {
        id: "a",
        version: "1",
        async respond() {
          clock.advance(1500);
          return { text: "ok" };
        },
      },
    };
    const result = await runSuite(one("hello there friend", "{ max_latency_ms: 1000 }"), {
      ...options(),
      settings: settings(clock),
      candidate: slow,
    });
    const check = result.cases[0]!.candidate.runs[0]!.checks[0]!;
    assert.deepEqual([check.status, check.detail], ["fail", "1500 ms"]);
  });

  it("an agent that fails hands off with agent_failure, as a dead job does", async () => {
    const failing: EvalTarget = {
      agent: {
        id: "a",
        version: "1",
        respond: async () => {
          throw new Error("provider down");
        },
      },
    };
    const result = await runSuite(one("where is my parcel"), { ...options(), candidate: failing });
    const turn = result.cases[0]!.candidate.runs[0]!.turns[0]!;
    assert.equal(turn.handoff, "agent_failure");
    assert.equal(turn.error, "provider down");
    assert.equal(result.gate.passed, false);
  });

  it("after an opt-out the agent is not asked, and after a handoff it stays quiet", async () => {
    const suite = parseSuite(
      `cases:
  - name: stop
    turns:
      - { customer: STOP }
      - { customer: How long does delivery take?, expect: { not_contains: business days } }
  - name: person
    turns:
      - { customer: I want to talk to a person, expect: { handoff: customer_request } }
      - { customer: How long does delivery take?, expect: { not_contains: business days } }
`,
      "s",
    );
    const result = await runSuite(suite, { ...options(), candidate: builtinTarget() });
    assert.equal(result.gate.passed, true);
    const [optOut, person] = result.cases.map((c) => c.candidate.runs[0]!.turns);
    assert.match(optOut![1]!.note!, /opted out/);
    assert.match(person![1]!.note!, /with a person/);
  });
});
