import { type Policy, type PolicyInput, policySchema } from "./policy-schema.ts";

/**
 * The built-in policy, every detector on. examples/policies/default.yaml is the same
 * policy as YAML plus its test cases (a test keeps the two in step).
 */
export const DEFAULT_POLICY: PolicyInput = {
  version: 1,
  name: "default",
  safeReply: "Sorry, I can't help with that here. A member of our team will follow up.",
  rules: [
    {
      id: "pii-redact",
      detector: "pii",
      options: { countries: ["US", "GB", "DE", "FR", "ES"] },
      action: "redact",
    },
    { id: "secrets-block", detector: "secrets", directions: ["outbound"], action: "block" },
    { id: "injection-block", detector: "injection", directions: ["inbound"], action: "block" },
    {
      id: "injection-model-block",
      detector: "injection_model",
      directions: ["inbound"],
      action: "block",
    },
    {
      id: "toxicity-inbound-tag",
      detector: "toxicity",
      directions: ["inbound"],
      options: { categories: ["profanity", "threat", "harassment"] },
      action: "tag",
    },
    {
      id: "toxicity-outbound-block",
      detector: "toxicity",
      directions: ["outbound"],
      options: { categories: ["profanity", "threat", "harassment"] },
      action: "block",
    },
    {
      id: "abuse-model-inbound-tag",
      detector: "abuse_model",
      directions: ["inbound"],
      options: { labels: ["profanity", "hate", "threat"] },
      action: "tag",
    },
    {
      id: "self-harm-phrases-escalate",
      detector: "toxicity",
      directions: ["inbound"],
      options: { categories: ["self_harm"] },
      action: "escalate",
    },
    {
      id: "self-harm-escalate",
      detector: "abuse_model",
      directions: ["inbound"],
      options: { labels: ["self_harm"] },
      action: "escalate",
    },
    {
      id: "abuse-model-outbound-block",
      detector: "abuse_model",
      directions: ["outbound"],
      options: { labels: ["hate", "threat"] },
      action: "block",
    },
    { id: "consent-tag", detector: "consent", directions: ["inbound"], action: "tag" },
    {
      id: "commitment-escalate",
      detector: "commitment",
      directions: ["outbound"],
      action: "escalate",
    },
    {
      id: "commitment-model-escalate",
      detector: "commitment_model",
      directions: ["outbound"],
      action: "escalate",
    },
    {
      id: "topic-tag",
      detector: "topic",
      options: {
        deny: [
          {
            name: "politics",
            keywords: [
              "election",
              "democrats",
              "republicans",
              "vote for",
              "political party",
              "president biden",
              "president trump",
            ],
          },
        ],
      },
      action: "tag",
    },
    { id: "competitor-tag", detector: "competitor", options: { competitors: [] }, action: "tag" },
    { id: "length-tag", detector: "length", directions: ["outbound"], action: "tag" },
    { id: "disclosure-tag", detector: "ai_disclosure", directions: ["outbound"], action: "tag" },
  ],
};

export function defaultPolicy(): Policy {
  return policySchema.parse(DEFAULT_POLICY);
}
