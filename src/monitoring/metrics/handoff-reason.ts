import { HANDOFF_REASONS } from "../../agents/handoff/handoff-reasons.ts";

/**
 * Handoff reasons with a fixed name: the agents' own (HANDOFF_REASONS, which an LLM agent's
 * `handoff_to_human` maps the model's words to) and those Mainstay gives itself. Anything
 * else (a custom agent's text) counts as `agent_requested`.
 */
const KNOWN_REASONS = new Set<string>([
  ...HANDOFF_REASONS,
  "agent_killed",
  "human_took_over",
  "negative_sentiment",
  "provider_unavailable",
  "spend_cap",
]);

/** The `reason` label of `mainstay_handoffs_total`; `guardrail:<rule>` names a policy rule. */
export function handoffReasonLabel(reason: string, boundRule: (rule: string) => string): string {
  if (KNOWN_REASONS.has(reason)) return reason;
  if (reason.startsWith("guardrail:")) return `guardrail:${boundRule(reason.slice(10))}`;
  return "agent_requested";
}
