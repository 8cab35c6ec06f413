import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { checkExpectation } from "../../src/evaluation/assertions.ts";
import {
  type Judge,
  lexicalSimilarity,
  parseSuite,
  type TurnRecord,
} from "../../src/evaluation/index.ts";
import { parseVerdict } from "../../src/evaluation/judge.ts";

const turn = (overrides: Partial<TurnRecord>): TurnRecord => ({
  customer: "Where is my order NW-123456?",
  draft: "It ships tomorrow.",
  reply: "It ships tomorrow.",
  author: "agent",
  action: "allow",
  findings: [],
  handoff: null,
  toolCalls: [],
  latencyMs: 100,
  cost: 0.001,
  ...overrides,
});

/** The expectation of a one-turn case, parsed as a suite would be. */
const expectation = (yaml: string) =>
  parseSuite(`cases: [{ name: c, turns: [{ customer: x, expect: ${yaml} }] }]`, "s").cases[0]!
    .turns[0]!.expect!;

const check = async (yaml: string, turns: TurnRecord[], judge?: Judge) =>
  (
    await checkExpectation(expectation(yaml), {
      turns,
      transcript: turns,
      ...(judge ? { judge } : {}),
    })
  ).map((c) => `${c.assertion}:${c.status}`);

describe("assertions", () => {
  const shipped = turn({
    findings: [{ direction: "inbound", type: "pii.phone", rule: "pii-redact" }],
    toolCalls: [{ name: "order_status", arguments: { order_number: "NW-123456", verbose: false } }],
  });

  it("text: contains and not_contains ignore case; regex is case-insensitive", async () => {
    assert.deepEqual(
      await check("{ contains: [SHIPS, tomorrow], not_contains: refund, regex: 'ships\\s+tom' }", [
        shipped,
      ]),
      ["contains:pass", "contains:pass", "not_contains:pass", "regex:pass"],
    );
    assert.deepEqual(
      await check("{ contains: refund, not_contains: ships, regex: '^no' }", [shipped]),
      ["contains:fail", "not_contains:fail", "regex:fail"],
    );
  });

  it("findings: no_findings reads the reply; finding matches either side, by prefix", async () => {
    assert.deepEqual(
      await check("{ no_findings: true, finding: [pii, pii.phone, pii.card] }", [shipped]),
      ["no_findings:pass", "finding:pass", "finding:pass", "finding:fail"],
    );
    const flagged = turn({ findings: [{ direction: "outbound", type: "commitment", rule: "c" }] });
    assert.deepEqual(await check("{ no_findings: true }", [flagged]), ["no_findings:fail"]);
  });

  it("action and handoff: true, false, or a reason (a prefix before ':' counts)", async () => {
    const escalated = turn({ action: "escalate", handoff: "guardrail:commitment-escalate" });
    assert.deepEqual(await check("{ action: escalate, handoff: guardrail }", [escalated]), [
      "action:pass",
      "handoff:pass",
    ]);
    assert.deepEqual(await check("{ handoff: true }", [escalated]), ["handoff:pass"]);
    assert.deepEqual(await check("{ handoff: false }", [escalated]), ["handoff:fail"]);
    assert.deepEqual(await check("{ handoff: guardrail:commitment }", [escalated]), [
      "handoff:fail",
    ]);
    assert.deepEqual(await check("{ handoff: false, action: allow }", [shipped]), [
      "action:pass",
      "handoff:pass",
    ]);
  });

  it("tool_called: by name, with the arguments given equal to the call's", async () => {
    const yaml = `{ tool_called: [order_status, { name: order_status, arguments: { order_number: NW-123456, verbose: false } }, { name: order_status, arguments: { order_number: NW-000000 } }, lookup_contact] }`;
    assert.deepEqual(await check(yaml, [shipped]), [
      "tool_called:pass",
      "tool_called:pass",
      "tool_called:fail",
      "tool_called:fail",
    ]);
  });

  it("latency is the slowest turn, cost the sum; an unknown cost fails", async () => {
    const turns = [turn({ latencyMs: 300, cost: 0.002 }), turn({ latencyMs: 900, cost: 0.002 })];
    assert.deepEqual(await check("{ max_latency_ms: 900, max_cost: 0.004 }", turns), [
      "max_latency_ms:pass",
      "max_cost:pass",
    ]);
    assert.deepEqual(await check("{ max_latency_ms: 899, max_cost: 0.0039 }", turns), [
      "max_latency_ms:fail",
      "max_cost:fail",
    ]);
    const [unknown] = await checkExpectation(expectation("{ max_cost: 1 }"), {
      turns: [turn({ cost: null })],
      transcript: [],
    });
    assert.match(unknown!.detail!, /cost unknown/);
  });

  it("similar_to: a threshold on lexical similarity (0.5 by default)", async () => {
    assert.deepEqual(await check("{ similar_to: 'it ships tomorrow!' }", [shipped]), [
      "similar_to:pass",
    ]);
    assert.deepEqual(await check("{ similar_to: { text: 'ships today', min: 0.6 } }", [shipped]), [
      "similar_to:fail",
    ]);
  });

  it("rubric: graded by the judge, skipped without one, failed when the judge breaks", async () => {
    assert.deepEqual(await check("{ rubric: polite }", [shipped]), ["rubric:skipped"]);
    const judge = (answer: () => Promise<{ pass: boolean; reason: string }>): Judge => ({
      name: "fake/judge",
      grade: answer,
    });
    assert.deepEqual(
      await check(
        "{ rubric: polite }",
        [shipped],
        judge(async () => ({ pass: true, reason: "ok" })),
      ),
      ["rubric:pass"],
    );
    const broken = judge(async () => parseVerdict("I think it is fine"));
    const [result] = await checkExpectation(expectation("{ rubric: polite }"), {
      turns: [shipped],
      transcript: [shipped],
      judge: broken,
    });
    assert.equal(result!.status, "fail");
    assert.match(result!.detail!, /judge failed: the judge did not answer/);
  });

  it("a verdict is read out of prose and code fences", () => {
    assert.deepEqual(parseVerdict('Sure.\n```json\n{"pass": false, "reason": "rude"}\n```'), {
      pass: false,
      reason: "rude",
    });
  });
});

describe("lexical similarity", () => {
  const text = fc.string({ maxLength: 60 });
  it("is symmetric, within 0..1, and 1 for the same words in any case and accents", () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        const s = lexicalSimilarity(a, b);
        assert.ok(s >= 0 && s <= 1);
        assert.equal(s, lexicalSimilarity(b, a));
        assert.equal(lexicalSimilarity(a, a), 1);
      }),
    );
    assert.equal(lexicalSimilarity("Café ouvert", "cafe OUVERT!"), 1);
    assert.equal(lexicalSimilarity("refund", "delivery"), 0);
  });
});
