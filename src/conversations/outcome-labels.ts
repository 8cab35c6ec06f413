import { z } from "zod";
import { configNumber } from "../shared/config-number.ts";
import type { OutcomeFacts } from "../store/index.ts";

export type { OutcomeFacts };

/**
 * What became of a conversation, in words a business uses (docs/outcomes.md). Exactly one
 * applies at a time; a label can change while the conversation is live (`open` becomes
 * `resolved_assumed` once the customer has been quiet long enough, that becomes `reopened`
 * when they come back).
 */
export const OUTCOME_LABELS = [
  "resolved_confirmed",
  "resolved_assumed",
  "reopened",
  "escalated",
  "abandoned",
  "open",
] as const;
export type OutcomeLabel = (typeof OUTCOME_LABELS)[number];

/** Which rule gave the label: shown next to it so a reader can check the call. */
export type OutcomeReason =
  | "handed_off"
  | "no_reply_from_person"
  | "operator_resolved"
  | "positive_feedback"
  | "closed_unresolved"
  | "bot_answered_then_quiet"
  | "customer_unanswered"
  | "negative_feedback"
  | "customer_returned"
  | "in_progress";

export interface OutcomeLabelSettings {
  /** Quiet this long after the last line, a conversation is settled one way or the other. */
  idleMs: number;
  /** A resolved conversation whose contact comes back within this is `reopened`. */
  reopenMs: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** `outcomes:` in mainstay.yaml. */
export const outcomeLabelsConfigSchema = z.strictObject({
  /** Hours of silence after which an answered conversation counts as resolved (or abandoned). */
  idleHours: configNumber(
    z
      .number()
      .positive()
      .max(24 * 90),
  ).default(24),
  /** Days within which a customer coming back turns a resolved conversation into `reopened`. */
  reopenDays: configNumber(z.number().min(0).max(90)).default(3),
});
export type OutcomeLabelsConfig = z.infer<typeof outcomeLabelsConfigSchema>;

export const outcomeLabelSettings = (config: OutcomeLabelsConfig): OutcomeLabelSettings => ({
  idleMs: config.idleHours * HOUR_MS,
  reopenMs: config.reopenDays * DAY_MS,
});

export const DEFAULT_OUTCOME_LABEL_SETTINGS = outcomeLabelSettings(
  outcomeLabelsConfigSchema.parse({}),
);

export interface LabelledOutcome {
  label: OutcomeLabel;
  reason: OutcomeReason;
}

/** CSAT 4-5 or a thumbs up confirm; CSAT 1-2 or a thumbs down deny; CSAT 3 says neither. */
function feedbackSays(feedback: OutcomeFacts["feedback"]): "positive" | "negative" | null {
  if (!feedback) return null;
  if (feedback.type === "thumbs") return feedback.value >= 1 ? "positive" : "negative";
  if (feedback.value >= 4) return "positive";
  return feedback.value <= 2 ? "negative" : null;
}

/**
 * Labels one conversation at `now`. The first rule that applies wins:
 * 1. handed to a person: `abandoned` when no person replied, it is still waiting for one,
 *    and the customer has been quiet for the idle period; else `escalated` (a handback to
 *    the bot or a person's resolution does not undo it: the version needed a person);
 * 2. closed as resolved by an operator, or a positive rating: resolved, confirmed;
 * 3. closed as unresolved: `abandoned`;
 * 4. the customer's last line unanswered for the idle period: `abandoned`;
 * 5. the bot answered the customer's last line and the idle period has passed since:
 *    `abandoned` after a negative rating, else resolved, assumed;
 * 6. otherwise (nothing from the customer yet, or still within the idle period) `open`.
 * A resolved one (2 or 5) whose contact started another conversation within the reopen
 * window of its settling is `reopened`.
 */
export function labelOutcome(
  facts: OutcomeFacts,
  settings: OutcomeLabelSettings,
  now: number,
): LabelledOutcome {
  const quietSince = (at: number) => now - at >= settings.idleMs;
  if (facts.handedOffAt !== null) {
    const personReplied = facts.lastHumanAt !== null && facts.lastHumanAt >= facts.handedOffAt;
    const lastWord = Math.max(facts.handedOffAt, facts.lastCustomerAt ?? 0);
    if (!personReplied && facts.state === "human" && quietSince(lastWord)) {
      return { label: "abandoned", reason: "no_reply_from_person" };
    }
    return { label: "escalated", reason: "handed_off" };
  }
  const rating = feedbackSays(facts.feedback);
  if (facts.state === "closed" && facts.resolution === "resolved") {
    return resolvedAs("resolved_confirmed", facts, settings, facts.closedAt, "operator_resolved");
  }
  if (facts.feedback && rating === "positive") {
    return resolvedAs(
      "resolved_confirmed",
      facts,
      settings,
      facts.feedback.at,
      "positive_feedback",
    );
  }
  if (facts.state === "closed") return { label: "abandoned", reason: "closed_unresolved" };
  const asked = facts.lastCustomerAt;
  const answered = facts.lastAgentAt;
  if (asked === null) return { label: "open", reason: "in_progress" };
  if (answered === null || answered < asked) {
    return quietSince(asked)
      ? { label: "abandoned", reason: "customer_unanswered" }
      : { label: "open", reason: "in_progress" };
  }
  if (!quietSince(answered)) return { label: "open", reason: "in_progress" };
  if (rating === "negative") return { label: "abandoned", reason: "negative_feedback" };
  return resolvedAs("resolved_assumed", facts, settings, answered, "bot_answered_then_quiet");
}

/** A resolution, unless the contact came back within the reopen window of `settledAt`. */
function resolvedAs(
  label: "resolved_confirmed" | "resolved_assumed",
  facts: OutcomeFacts,
  settings: OutcomeLabelSettings,
  settledAt: number | null,
  reason: OutcomeReason,
): LabelledOutcome {
  // A close whose time is unknown counts from the conversation's last line.
  const from = settledAt ?? Math.max(facts.lastAgentAt ?? 0, facts.lastCustomerAt ?? 0);
  if (facts.returnedAt !== null && facts.returnedAt - from <= settings.reopenMs) {
    return { label: "reopened", reason: "customer_returned" };
  }
  return { label, reason };
}
