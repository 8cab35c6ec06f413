/**
 * Handoff reasons Mainstay itself gives. An agent may hand off with any reason the model
 * wrote (the `handoff_to_human` tool): that is text, never a label, so it counts as
 * `agent_requested`.
 */
const KNOWN_REASONS = new Set([
  "agent_failure",
  "agent_killed",
  "customer_request",
  "human_took_over",
  "low_confidence",
  "negative_sentiment",
  "provider_unavailable",
]);

/** The `reason` label of `mainstay_handoffs_total`; `guardrail:<rule>` names a policy rule. */
export function handoffReasonLabel(reason: string, boundRule: (rule: string) => string): string {
  if (KNOWN_REASONS.has(reason)) return reason;
  if (reason.startsWith("guardrail:")) return `guardrail:${boundRule(reason.slice(10))}`;
  return "agent_requested";
}
