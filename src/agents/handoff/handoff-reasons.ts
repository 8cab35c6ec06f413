/**
 * The reasons an agent hands a conversation to a person, a fixed set so that evaluation
 * assertions, rollout gates and metrics can name them. The built-in agent gives
 * `customer_request` and `low_confidence`; an LLM agent picks one when it calls
 * `handoff_to_human`, with its own words as the detail.
 */
export const HANDOFF_REASONS = [
  "customer_request",
  "low_confidence",
  "policy",
  "agent_failure",
  "sentiment",
  "tool",
] as const;

export type HandoffReason = (typeof HANDOFF_REASONS)[number];

const HINTS: [RegExp, HandoffReason][] = [
  [
    /\b(asked|asks|wants?|request\w*)\b.*\b(human|person|agent|someone|manager)\b/i,
    "customer_request",
  ],
  [/\b(polic\w*|complian\w*|legal|refund|not allowed|forbidden)\b/i, "policy"],
  [/\b(angry|upset|furious|irate|frustrat\w*|annoyed|sentiment|rude|complain\w*)\b/i, "sentiment"],
  [/\b(tool|api|lookup|system)\b.*\b(fail\w*|error|down|unavailable)\b/i, "tool"],
  [/\b(fail\w*|error|crash\w*)\b/i, "agent_failure"],
];

/**
 * One of HANDOFF_REASONS for what an agent wrote: the reason itself (any case, spaces or
 * hyphens for underscores), else the first reason whose hint the text matches, else
 * `low_confidence` (the agent could not help, and did not say why in a way we know).
 */
export function toHandoffReason(text: string): HandoffReason {
  const name = text
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  const exact = HANDOFF_REASONS.find((r) => r === name);
  if (exact) return exact;
  return HINTS.find(([hint]) => hint.test(text))?.[1] ?? "low_confidence";
}
