import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  assignmentFor,
  canaryPosition,
  decide,
  type LiveRollout,
  parseRolloutBody,
  parseRolloutYaml,
  rolloutFacts,
  rolloutSpecSchema,
} from "../../src/rollouts/index.ts";
import type { AgentTurnRecord, ConversationOutcome, RolloutRecord } from "../../src/store/index.ts";

const record = (over: Partial<RolloutRecord> = {}): RolloutRecord => ({
  id: "ro_test",
  agentId: "support",
  baseline: "v_aaaaaaaaaaaa",
  candidate: "v_bbbbbbbbbbbb",
  spec: "{}",
  state: "running",
  step: 0,
  stepStartedAt: 0,
  createdBy: "admin",
  createdAt: 0,
  updatedAt: 0,
  endedAt: null,
  ...over,
});

const live = (spec: unknown, over: Partial<RolloutRecord> = {}): LiveRollout => ({
  record: record(over),
  spec: rolloutSpecSchema.parse(spec),
});

describe("rollout documents", () => {
  it("reads percentages and fills the defaults", () => {
    const spec = parseRolloutBody({
      agent: "support",
      candidate: "v_bbbbbbbbbbbb",
      steps: [{ shadow: 200 }, { canary: "5%" }, { canary: 0.25, minConversations: 50 }],
    });
    assert.deepEqual(
      spec.steps.map((s) => ("canary" in s ? s.canary : s.shadow)),
      [200, 0.05, 0.25],
    );
    assert.equal(spec.alpha, 0.05);
    assert.equal(spec.onFailure, "rollback");
    assert.deepEqual(
      spec.gates.map((g) => g.metric),
      ["violation", "handoff", "error"],
    );
  });

  it("names the file, line and field of a problem", () => {
    const yaml = "agent: support\ncandidate: v_bbbbbbbbbbbb\nsteps:\n  - canary: 150%\n";
    assert.throws(
      () => parseRolloutYaml(yaml, "canary.yaml"),
      (e: Error & { code?: string }) =>
        e.code === "MS_ROLLOUT_INVALID" && /canary\.yaml:4:\d+: steps\[0\]/.test(e.message),
    );
    assert.throws(
      () =>
        parseRolloutBody({
          agent: "support",
          candidate: "v_b",
          steps: [{ canary: 0.1 }],
          gates: [{ metric: "violation" }, { metric: "violation" }],
        }),
      /gates\[1\]\.metric: listed twice/,
    );
    assert.throws(
      () =>
        parseRolloutBody({
          agent: "support",
          candidate: "v_b",
          steps: [{ canary: 0.1 }],
          gates: [{ metric: "made_up" }],
        }),
      (e: Error & { code?: string }) => e.code === "MS_ROLLOUT_INVALID",
    );
  });
});

describe("canary assignment", () => {
  it("is sticky per conversation and a larger share only adds conversations", () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.double({ min: 0.01, max: 1 }),
        fc.double({ min: 0, max: 0.99 }),
        (id, a, b) => {
          const small = Math.min(a, b);
          const large = Math.max(a, b);
          const at = canaryPosition("ro_1", id);
          assert.equal(at, canaryPosition("ro_1", id));
          if (at < small) assert.ok(at < large);
        },
      ),
    );
  });

  it("sends about the canary share to the candidate", () => {
    const rollout = live({
      agent: "support",
      candidate: "v_bbbbbbbbbbbb",
      baseline: "v_aaaaaaaaaaaa",
      steps: [{ canary: 0.25 }],
    });
    const assign = assignmentFor({ id: "support", version: "v_aaaaaaaaaaaa" }, rollout);
    let candidate = 0;
    for (let i = 0; i < 4000; i++) {
      const a = assign(`conv_${i}`);
      assert.equal(a.rollout?.share, 0.25);
      if (a.version === "v_bbbbbbbbbbbb") candidate++;
    }
    assert.ok(Math.abs(candidate / 4000 - 0.25) < 0.03, String(candidate));
  });

  it("keeps every conversation on the baseline in a shadow step", () => {
    const rollout = live({
      agent: "support",
      candidate: "v_bbbbbbbbbbbb",
      baseline: "v_aaaaaaaaaaaa",
      steps: [{ shadow: 10 }],
    });
    const a = assignmentFor({ id: "support", version: "v_aaaaaaaaaaaa" }, rollout)("conv_1");
    assert.equal(a.version, "v_aaaaaaaaaaaa");
    assert.equal(a.rollout?.arm, "baseline");
  });
});

/** Conversations with one turn each; `bad` of them violated on the given arm. */
function facts(arms: { baseline: [number, number]; candidate: [number, number] }, createdAt = 0) {
  const outcomes: ConversationOutcome[] = [];
  const turns: AgentTurnRecord[] = [];
  let t = createdAt;
  for (const arm of ["baseline", "candidate"] as const) {
    const [n, bad] = arms[arm];
    for (let i = 0; i < n; i++) {
      const conversationId = `${arm}-${i}`;
      t++;
      outcomes.push({
        conversationId,
        agentId: "support",
        agentVersion: arm,
        shadow: false,
        rolloutId: "ro_test",
        arm,
        share: 0.5,
        channelType: "generic",
        turns: 1,
        violations: i < bad ? 1 : 0,
        violationTypes: [],
        firstViolationAt: null,
        handoffReason: null,
        handedOffAt: null,
        errors: 0,
        fallbacks: 0,
        cost: 0.001,
        csat: null,
        sentiment: null,
        repeatContact: false,
        createdAt: t,
        updatedAt: t,
      });
      turns.push({
        id: `turn-${arm}-${i}`,
        conversationId,
        messageId: "m",
        replyId: "r",
        agentId: "support",
        agentVersion: arm,
        shadow: false,
        rolloutId: "ro_test",
        channelType: "generic",
        latencyMs: 100,
        provider: null,
        model: null,
        inputTokens: null,
        outputTokens: null,
        cost: 0.001,
        error: null,
        fallback: false,
        action: i < bad ? "redact" : "allow",
        findings: i < bad ? ["pii.card"] : [],
        handoff: null,
        shadowText: null,
        createdAt: t,
      });
    }
  }
  return rolloutFacts(outcomes, turns, []);
}

describe("decisions", () => {
  const spec = rolloutSpecSchema.parse({
    agent: "support",
    baseline: "v_aaaaaaaaaaaa",
    candidate: "v_bbbbbbbbbbbb",
    steps: [{ canary: 0.5, minConversations: 100 }],
    gates: [
      { metric: "violation", margin: 0.05 },
      { metric: "latency_p95_ms", max: 5000 },
    ],
  });

  it("rolls back when the candidate's violations are shown higher", () => {
    const d = decide(record(), spec, facts({ baseline: [300, 3], candidate: [300, 40] }), 0);
    assert.equal(d.action, "rollback");
    assert.match(d.reason, /violation: candidate shown worse/);
    const gate = d.evidence.gates[0]!;
    assert.equal(gate.kind === "rate" && gate.verdict, "harm");
  });

  it("holds while the sample is short, naming what is missing", () => {
    const d = decide(record(), spec, facts({ baseline: [20, 0], candidate: [20, 0] }), 0);
    assert.equal(d.action, "hold");
    assert.match(d.reason, /20\/100 candidate conversations/);
  });

  it("promotes once the candidate is shown not worse and the sample is met", () => {
    const d = decide(record(), spec, facts({ baseline: [600, 6], candidate: [600, 6] }), 0);
    assert.equal(d.action, "promote", d.reason);
  });

  it("rolls back on a value limit", () => {
    const slow = rolloutSpecSchema.parse({
      ...spec,
      gates: [{ metric: "latency_p95_ms", max: 50, minTurns: 5 }],
    });
    const d = decide(record(), slow, facts({ baseline: [10, 0], candidate: [10, 0] }), 0);
    assert.equal(d.action, "rollback");
    assert.match(d.reason, /latency_p95_ms 100 is above the limit 50/);
  });
});
