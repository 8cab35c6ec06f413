import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  labelOutcome,
  type OutcomeFacts,
  type OutcomeLabel,
  type OutcomeReason,
  outcomeLabelSettings,
  outcomeLabelsConfigSchema,
} from "../../src/conversations/outcome-labels.ts";

const H = 3_600_000;
const D = 24 * H;
const T0 = Date.UTC(2026, 2, 1);
/** The defaults: idle 24 h, reopen window 3 days. */
const settings = outcomeLabelSettings(outcomeLabelsConfigSchema.parse({}));

/** A bot conversation: the customer asked at T0, the bot answered a minute later. */
const answered: OutcomeFacts = {
  state: "bot",
  resolution: null,
  closedAt: null,
  handedOffAt: null,
  lastCustomerAt: T0,
  lastAgentAt: T0 + 60_000,
  lastHumanAt: null,
  feedback: null,
  returnedAt: null,
};

// Written from the rules in docs/outcomes.md before running the function.
const cases: {
  name: string;
  facts: Partial<OutcomeFacts>;
  /** Hours after T0. */
  at: number;
  label: OutcomeLabel;
  reason: OutcomeReason;
}[] = [
  { name: "answered, quiet for an hour", facts: {}, at: 1, label: "open", reason: "in_progress" },
  {
    name: "answered, quiet for a day",
    facts: {},
    at: 25,
    label: "resolved_assumed",
    reason: "bot_answered_then_quiet",
  },
  {
    name: "answered, back in a new conversation two days later",
    facts: { returnedAt: T0 + 2 * D },
    at: 72,
    label: "reopened",
    reason: "customer_returned",
  },
  {
    name: "answered, back only after five days",
    facts: { returnedAt: T0 + 5 * D },
    at: 24 * 6,
    label: "resolved_assumed",
    reason: "bot_answered_then_quiet",
  },
  {
    name: "customer wrote again after the answer, within the idle period",
    facts: { lastCustomerAt: T0 + 2 * H },
    at: 3,
    label: "open",
    reason: "in_progress",
  },
  {
    name: "customer's last line never answered",
    facts: { lastCustomerAt: T0 + 2 * H },
    at: 27,
    label: "abandoned",
    reason: "customer_unanswered",
  },
  {
    name: "no reply at all, not yet idle",
    facts: { lastAgentAt: null },
    at: 5,
    label: "open",
    reason: "in_progress",
  },
  {
    name: "no reply at all, idle",
    facts: { lastAgentAt: null },
    at: 24,
    label: "abandoned",
    reason: "customer_unanswered",
  },
  {
    name: "nothing from the customer yet",
    facts: { lastCustomerAt: null, lastAgentAt: T0 },
    at: 100,
    label: "open",
    reason: "in_progress",
  },
  {
    name: "thumbs up right after the answer",
    facts: { feedback: { type: "thumbs", value: 1, at: T0 + 2 * 60_000 } },
    at: 0.5,
    label: "resolved_confirmed",
    reason: "positive_feedback",
  },
  {
    name: "CSAT 4",
    facts: { feedback: { type: "csat", value: 4, at: T0 + H } },
    at: 2,
    label: "resolved_confirmed",
    reason: "positive_feedback",
  },
  {
    name: "CSAT 3 says nothing: assumed once idle",
    facts: { feedback: { type: "csat", value: 3, at: T0 + H } },
    at: 30,
    label: "resolved_assumed",
    reason: "bot_answered_then_quiet",
  },
  {
    name: "thumbs down, then quiet",
    facts: { feedback: { type: "thumbs", value: 0, at: T0 + H } },
    at: 30,
    label: "abandoned",
    reason: "negative_feedback",
  },
  {
    name: "CSAT 2, not yet idle",
    facts: { feedback: { type: "csat", value: 2, at: T0 + H } },
    at: 2,
    label: "open",
    reason: "in_progress",
  },
  {
    name: "thumbs up, back the next day",
    facts: {
      feedback: { type: "thumbs", value: 1, at: T0 + H },
      returnedAt: T0 + D,
    },
    at: 48,
    label: "reopened",
    reason: "customer_returned",
  },
  {
    name: "operator closed it resolved",
    facts: { state: "closed", resolution: "resolved", closedAt: T0 + H },
    at: 2,
    label: "resolved_confirmed",
    reason: "operator_resolved",
  },
  {
    name: "operator resolved it, back within three days of the close",
    facts: {
      state: "closed",
      resolution: "resolved",
      closedAt: T0 + 10 * H,
      returnedAt: T0 + 10 * H + 3 * D,
    },
    at: 24 * 4,
    label: "reopened",
    reason: "customer_returned",
  },
  {
    name: "operator closed it unresolved",
    facts: { state: "closed", resolution: "unresolved", closedAt: T0 + H },
    at: 2,
    label: "abandoned",
    reason: "closed_unresolved",
  },
  {
    name: "handed off, a person replied",
    facts: { state: "human", handedOffAt: T0 + 60_000, lastHumanAt: T0 + 5 * 60_000 },
    at: 48,
    label: "escalated",
    reason: "handed_off",
  },
  {
    name: "handed off, waiting for a person, not yet idle",
    facts: { state: "human", handedOffAt: T0 + 60_000 },
    at: 3,
    label: "escalated",
    reason: "handed_off",
  },
  {
    name: "handed off, nobody replied, customer gone",
    facts: { state: "human", handedOffAt: T0 + 60_000 },
    at: 25,
    label: "abandoned",
    reason: "no_reply_from_person",
  },
  {
    name: "handed off, customer kept writing, nobody replied within a day of the last line",
    facts: { state: "human", handedOffAt: T0 + 60_000, lastCustomerAt: T0 + 20 * H },
    at: 30,
    label: "escalated",
    reason: "handed_off",
  },
  {
    name: "handed off, then closed resolved by a person",
    facts: {
      state: "closed",
      resolution: "resolved",
      closedAt: T0 + 2 * H,
      handedOffAt: T0 + 60_000,
      lastHumanAt: T0 + H,
    },
    at: 48,
    label: "escalated",
    reason: "handed_off",
  },
  {
    name: "handed off, then handed back to the bot, which answered",
    facts: { state: "bot", handedOffAt: T0 + 60_000, lastAgentAt: T0 + H },
    at: 48,
    label: "escalated",
    reason: "handed_off",
  },
  {
    name: "handed off, thumbs up: still escalated",
    facts: {
      state: "human",
      handedOffAt: T0 + 60_000,
      lastHumanAt: T0 + H,
      feedback: { type: "thumbs", value: 1, at: T0 + 2 * H },
    },
    at: 48,
    label: "escalated",
    reason: "handed_off",
  },
];

describe("outcome labels", () => {
  for (const c of cases) {
    it(c.name, () => {
      const got = labelOutcome({ ...answered, ...c.facts }, settings, T0 + c.at * H);
      assert.deepEqual(got, { label: c.label, reason: c.reason });
    });
  }

  it("the idle period and reopen window come from the config", () => {
    const short = outcomeLabelSettings(
      outcomeLabelsConfigSchema.parse({ idleHours: "2", reopenDays: 0.5 }),
    );
    assert.deepEqual(short, { idleMs: 2 * H, reopenMs: 12 * H });
    assert.equal(labelOutcome(answered, short, T0 + 3 * H).label, "resolved_assumed");
    const back = { ...answered, returnedAt: T0 + 13 * H };
    assert.equal(labelOutcome(back, short, T0 + 14 * H).label, "resolved_assumed");
    assert.equal(labelOutcome(back, settings, T0 + 25 * H).label, "reopened");
  });

  it("refuses settings that make no sense", () => {
    assert.equal(outcomeLabelsConfigSchema.safeParse({ idleHours: 0 }).success, false);
    assert.equal(outcomeLabelsConfigSchema.safeParse({ reopenDays: -1 }).success, false);
    assert.equal(outcomeLabelsConfigSchema.safeParse({ idle: 3 }).success, false);
  });
});
