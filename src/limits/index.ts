export { createLimits, type Limits } from "./limits.ts";
export {
  type LimitsConfig,
  limitsConfigSchema,
  type RateSpec,
  type SpendConfig,
} from "./limits-config.ts";
export { MessageLimits, type MessageSender } from "./message-limits.ts";
export { type RateLimit, rateLimit, type Verdict } from "./rate-limit.ts";
export { lockedOut, SignInGuard } from "./sign-in-guard.ts";
export { type SpendCap, SpendCaps, type SpendKeys } from "./spend-caps.ts";
