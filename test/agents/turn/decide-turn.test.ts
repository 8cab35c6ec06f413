import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type AgentReply,
  DEFAULT_HANDOFF_TEXT,
  decideReply,
  decideSpendCap,
  decideTurn,
} from "../../../src/agents/index.ts";
import type { Screening, ScreeningRecord } from "../../../src/conversations/index.ts";
import type { SpendCap } from "../../../src/limits/index.ts";
import type { Message } from "../../../src/store/index.ts";

let seq = 0;
function message(author: Message["author"], text: string, meta: Message["meta"] = {}): Message {
  seq++;
  return {
    id: `msg_${String(seq).padStart(4, "0")}`,
    conversationId: "conv_1",
    channelId: "api",
    direction: author === "customer" ? "inbound" : "outbound",
    author,
    text,
    attachments: [],
    providerMessageId: null,
    status: "received",
    error: null,
    agentId: null,
    agentVersion: null,
    meta,
    createdAt: seq,
    queuedAt: null,
    sentAt: null,
    deliveredAt: null,
    readAt: null,
    failedAt: null,
  };
}

/** A turn answering these customer lines after `earlier` messages. */
function situation(lines: Message[], earlier: Message[] = []) {
  return { lines, inbound: lines.at(-1)!, history: [...earlier, ...lines] };
}

const verdict = (record: ScreeningRecord) => message("customer", "…", { guardrails: record });
const settings = { handoffText: "A person will reply." };

describe("decideTurn: Mainstay's own answer before the agent is asked", () => {
  it("asks the agent when nothing stands in", () => {
    assert.equal(
      decideTurn(situation([message("customer", "Where is it?")]), undefined, {}),
      undefined,
    );
  });

  it("answers with the kill switch's override, and its handoff", () => {
    const override = { text: "Back soon.", handoff: "agent_killed" };
    const decided = decideTurn(situation([message("customer", "Hi")]), override, settings);
    assert.deepEqual(decided, {
      by: "mainstay",
      text: "Back soon.",
      handoff: "agent_killed",
      standIn: { reason: "kill_switch" },
    });
  });

  it("sends the inbound policy's safe reply on block and fallback, without a handoff", () => {
    for (const action of ["block", "fallback"] as const) {
      const line = verdict({
        action,
        rule: "pii",
        reply: "Please don't share that.",
        findings: [],
      });
      const decided = decideTurn(situation([line]), undefined, settings);
      assert.equal(decided?.text, "Please don't share that.");
      assert.equal(decided?.handoff, undefined);
      assert.deepEqual(decided?.standIn, { reason: "inbound_guardrail", rule: "pii" });
    }
  });

  it("hands off on an inbound escalate, named after its rule ('policy' when none)", () => {
    const decided = decideTurn(
      situation([verdict({ action: "escalate", findings: [] })]),
      undefined,
      settings,
    );
    assert.equal(decided?.text, "A person will reply.");
    assert.equal(decided?.handoff, "guardrail:policy");
    const byDefault = decideTurn(
      situation([verdict({ action: "escalate", rule: "legal", findings: [] })]),
      undefined,
      {},
    );
    assert.equal(byDefault?.text, DEFAULT_HANDOFF_TEXT);
    assert.equal(byDefault?.handoff, "guardrail:legal");
  });

  it("lets a burst's escalating line win over an earlier blocked one", () => {
    const blocked = verdict({ action: "block", rule: "pii", reply: "Safe.", findings: [] });
    const escalated = verdict({ action: "escalate", rule: "legal", findings: [] });
    const decided = decideTurn(situation([blocked, escalated]), undefined, settings);
    assert.equal(decided?.handoff, "guardrail:legal");
  });

  it("ignores inbound verdicts that let the agent answer", () => {
    const tagged = verdict({ action: "tag", rule: "topic", findings: [] });
    assert.equal(decideTurn(situation([tagged]), undefined, settings), undefined);
  });

  it("hands off after a streak of negative customer messages, counted since a person wrote", () => {
    const angry = () => message("customer", "this is useless and terrible");
    const streak = [angry(), angry(), angry()];
    const decided = decideTurn(situation([streak[2]!], streak.slice(0, 2)), undefined, settings);
    assert.deepEqual(decided, {
      by: "mainstay",
      text: "A person will reply.",
      handoff: "negative_sentiment",
      standIn: { reason: "negative_sentiment" },
    });
    const afterPerson = [angry(), angry(), message("human", "I'm on it"), angry()];
    const handedBack = situation([afterPerson[3]!], afterPerson.slice(0, 3));
    assert.equal(decideTurn(handedBack, undefined, settings), undefined);
    const off = decideTurn(situation([streak[2]!], streak.slice(0, 2)), undefined, {
      negativeSentimentStreak: 0,
    });
    assert.equal(off, undefined);
  });
});

describe("decideSpendCap: a turn past a cap", () => {
  const cap: SpendCap = { scope: "conversation", unit: "tokens", limit: 100, spent: 120 };

  it("hands off with the configured message (`handoff`)", () => {
    const decided = decideSpendCap(cap, { action: "handoff", message: "Capped." }, settings);
    assert.deepEqual(decided, {
      by: "mainstay",
      text: "Capped.",
      handoff: "spend_cap",
      standIn: { reason: "spend_cap", cap, action: "handoff" },
    });
  });

  it("sends a canned text and keeps the bot (`canned`), or says nothing (`refuse`)", () => {
    const canned = decideSpendCap(cap, { action: "canned" }, settings);
    assert.equal(canned.text, "A person will reply.");
    assert.equal(canned.handoff, undefined);
    const refused = decideSpendCap(cap, { action: "refuse" }, {});
    assert.equal(refused.handoff, undefined);
    assert.deepEqual(refused.standIn, { reason: "spend_cap", cap, action: "refuse" });
  });
});

describe("decideReply: the agent's reply after the outbound policy", () => {
  const agent = { id: "support", version: "v1" };
  const reply: AgentReply = {
    text: "Your card 4111 1111 1111 1111 is on file.",
    confidence: 0.8,
    usage: { inputTokens: 30, outputTokens: 10 },
    meta: { provider: "openai", model: "gpt-x", fallback: true, rounds: 1 },
  };
  const finding = { type: "credit_card", start: 10, end: 29, rule: "pii", score: 1 };
  const screened = (action: Screening["action"], extra: Partial<Screening> = {}): Screening => ({
    action,
    rule: "pii",
    text: "Your card [card] is on file.",
    redacted: "Your card [card] is on file.",
    findings: [finding, { ...finding, start: 40, end: 41 }],
    ...extra,
  });
  const costOf = (usage: { inputTokens: number }, provider: string, model: string) =>
    provider === "openai" && model === "gpt-x" ? usage.inputTokens / 1000 : null;

  it("sends the agent's words when no policy applies, with the facts it reported", () => {
    const decided = decideReply(
      {
        agent,
        reply: { ...reply, handoff: { reason: "asked_for_person" } },
        latencyMs: 42,
        costOf,
      },
      settings,
    );
    assert.equal(decided.text, reply.text);
    assert.equal(decided.handoff, "asked_for_person");
    assert.equal(decided.screening, undefined);
    assert.deepEqual(decided.turn, {
      agent,
      latencyMs: 42,
      provider: "openai",
      model: "gpt-x",
      usage: reply.usage,
      cost: 0.03,
      fallback: true,
      action: "allow",
      violations: [],
      findings: [],
      error: null,
    });
    assert.deepEqual(decided.reported, { confidence: 0.8, meta: reply.meta });
  });

  it("keeps an agent's own cost when it reports no usage; unknown facts are null", () => {
    const decided = decideReply(
      { agent, reply: { text: "Hi", meta: { cost: 0.5, provider: 7 } }, latencyMs: 1 },
      settings,
    );
    assert.equal(decided.turn.cost, 0.5);
    assert.equal(decided.turn.provider, null);
    assert.equal(decided.turn.model, null);
    assert.equal(decided.turn.fallback, false);
    assert.equal(decided.turn.usage, null);
  });

  it("sends the safe reply instead of blocked words, recording the violation", () => {
    for (const action of ["block", "fallback"] as const) {
      const screening = screened(action, { text: "", reply: "I can't share that." });
      const decided = decideReply({ agent, reply, screening, latencyMs: 5 }, settings);
      assert.equal(decided.text, "I can't share that.");
      assert.equal(decided.handoff, undefined);
      assert.equal(decided.turn.action, action);
      assert.deepEqual(decided.turn.violations, ["credit_card"]);
      assert.equal(decided.screening?.action, action);
      assert.equal(decided.screening?.findings.length, 2);
    }
  });

  it("sends the redacted text, a violation too", () => {
    const decided = decideReply({ agent, reply, screening: screened("redact"), latencyMs: 5 }, {});
    assert.equal(decided.text, "Your card [card] is on file.");
    assert.deepEqual(decided.turn.violations, ["credit_card"]);
    assert.deepEqual(decided.turn.findings, ["credit_card"]);
  });

  it("hands off on an outbound escalate, with the handoff message", () => {
    const screening = screened("escalate", { rule: "legal" });
    const decided = decideReply({ agent, reply, screening, latencyMs: 5 }, settings);
    assert.equal(decided.text, "A person will reply.");
    assert.equal(decided.handoff, "guardrail:legal");
    assert.deepEqual(decided.turn.violations, ["credit_card"]);
    const unnamed = decideReply(
      { agent, reply, screening: screened("escalate", { rule: undefined }), latencyMs: 5 },
      {},
    );
    assert.equal(unnamed.text, DEFAULT_HANDOFF_TEXT);
    assert.equal(unnamed.handoff, "guardrail:policy");
  });

  it("records a tag's findings without calling them a violation", () => {
    const decided = decideReply({ agent, reply, screening: screened("tag"), latencyMs: 5 }, {});
    assert.equal(decided.text, "Your card [card] is on file.");
    assert.deepEqual(decided.turn.findings, ["credit_card"]);
    assert.deepEqual(decided.turn.violations, []);
    assert.equal(decided.turn.action, "tag");
  });
});
