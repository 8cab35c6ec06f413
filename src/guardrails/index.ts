export { createGuard, type Guard } from "./create-guard.ts";
export { DEFAULT_POLICY, defaultPolicy } from "./default-policy.ts";
export type {
  DetectContext,
  Detector,
  DetectorDefinition,
  FetchLike,
  GuardRuntime,
  ModelDetector,
  ModelVerdict,
} from "./detector.ts";
export {
  type DetectorName,
  detectorDefinition,
  detectorDefinitions,
} from "./detectors/index.ts";
export type {
  Action,
  ClassifierRun,
  Decision,
  Detection,
  Direction,
  Finding,
  GuardInput,
} from "./finding.ts";
export {
  describeIssues,
  type GuardRequest,
  type GuardResponse,
  guardRequestSchema,
  toGuardResponse,
} from "./guard-request.ts";
export { type LearnedModelCard, learnedModelCards } from "./learned/learned-models.ts";
export { loadPolicyFile, parsePolicy } from "./load-policy-file.ts";
export { policyJsonSchema } from "./policy-json-schema.ts";
export {
  ACTION_PRECEDENCE,
  guardInputSchema,
  type Policy,
  type PolicyCase,
  type PolicyInput,
  policySchema,
  type Rule,
} from "./policy-schema.ts";
export { type RedactionSpan, redactSpans } from "./redact-spans.ts";
export { type CaseResult, findingTypes, runPolicyCases } from "./run-policy-cases.ts";
export { type SmsSegments, smsSegments } from "./sms-segments.ts";
