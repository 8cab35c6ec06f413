export { fixedHorizonN } from "./fixed-horizon.ts";
export {
  type BadConversation,
  type BadCounts,
  HARM_RATE_RATIOS,
  type HarmEvidence,
  HarmMonitor,
  harmEvidence,
} from "./harm-monitor.ts";
export { type ArmCounts, type NonInferiorityEvidence, notWorseEvidence } from "./not-worse.ts";
export { RATE_PRIOR, rateBounds } from "./rate-bounds.ts";
