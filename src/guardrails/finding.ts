/**
 * What a detector reports and what a policy decides. Offsets are UTF-16 code-unit indices
 * into the ORIGINAL text (what `String.prototype.slice` takes), whatever view of the text
 * the detector matched on.
 */
export type Direction = "inbound" | "outbound";

export type Action = "allow" | "block" | "redact" | "escalate" | "fallback" | "tag";

/** A span a detector found; the engine adds the rule id. */
export interface Detection {
  /** `pii.card`, `secret.aws`, `injection`, `consent.opt_out`, `topic.<name>`... */
  type: string;
  start: number;
  end: number;
  /** 0..1, how sure the detector is. */
  score: number;
  /** Why it fired, for the audit trail. Never holds the matched text itself. */
  evidence?: Record<string, unknown>;
}

export interface Finding extends Detection {
  /** Id of the policy rule whose detector found it. */
  rule: string;
}

export interface Decision {
  action: Action;
  /** Id of the rule whose action won (absent when nothing fired). */
  rule?: string;
  /** The text to deliver: redacted where a redact rule fired; "" for block and fallback. */
  text: string;
  /**
   * The text with every redact rule applied, whatever the action: what may be stored or
   * shown in an audit even when the message itself is blocked.
   */
  redacted: string;
  /** The safe reply (block) or canned answer (fallback) to send instead. */
  reply?: string;
  findings: Finding[];
  /** Each model-tier rule that applied, and how its call went (policies with such rules). */
  classifiers?: ClassifierRun[];
}

export interface ClassifierRun {
  rule: string;
  outcome: "scored" | "cached" | "timeout" | "error" | "skipped";
  ms: number;
}

export interface GuardInput {
  direction: Direction;
  channel: string;
  text: string;
  /** `country`: the customer's ISO 3166-1 alpha-2 country, when the channel knows it. */
  context?: { firstOutbound?: boolean; country?: string };
}
