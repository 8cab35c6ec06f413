export { assignmentFor, canaryPosition, currentShare } from "./assign.ts";
export { CONTROL_CHANNEL, ControlState, type LiveRollout, notifyControl } from "./control-state.ts";
export { controlledCatalog } from "./controlled-serving.ts";
export { type Decision, decide, type GateEvidence } from "./decide.ts";
export { type EvidencePoint, evidencePaths } from "./evidence-path.ts";
export { type KillRequest, killAgent, killGate, unkillAgent } from "./kill-switch.ts";
export { recordOnIncident } from "./record-on-incident.ts";
export {
  type ControlEvent,
  RolloutService,
  type RolloutServiceOptions,
  type RolloutStatus,
  SYSTEM_ACTOR,
  specOf,
} from "./rollout-service.ts";
export {
  isShadowStep,
  parseRolloutBody,
  parseRolloutYaml,
  type RolloutSpec,
  rolloutSpecSchema,
} from "./rollout-spec.ts";
export { shadowCandidate } from "./shadow-candidate.ts";
export { type JudgedBad, p95, type RolloutFacts, rolloutFacts } from "./signals.ts";
