export { cannedReply } from "./canned-reply.ts";
export {
  type BreakerProvider,
  type CircuitBreakerOptions,
  type CircuitState,
  withCircuitBreaker,
} from "./with-circuit-breaker.ts";
export { type FallbackOptions, withFallback } from "./with-fallback.ts";
export { type RetryOptions, withRetry } from "./with-retry.ts";
export { type TimeoutOptions, withTimeout } from "./with-timeout.ts";
export { withAttemptTrace, withSkipTrace } from "./with-trace.ts";
