import { learnedDetector } from "../learned/learned-detector.ts";

/** The learned tier (docs/guardrails-models.md): recall next to the rule detectors. */
export const injectionModelDetector = learnedDetector({
  name: "injection_model",
  file: "injection.v2.json",
  labels: ["injection"],
  findingType: () => "injection",
});

export const abuseModelDetector = learnedDetector({
  name: "abuse_model",
  file: "abuse.v2.json",
  labels: ["profanity", "hate", "threat", "self_harm"],
  findingType: (label) => `abuse.${label}`,
});

export const commitmentModelDetector = learnedDetector({
  name: "commitment_model",
  file: "commitment.v2.json",
  labels: ["commitment"],
  findingType: () => "commitment",
});
