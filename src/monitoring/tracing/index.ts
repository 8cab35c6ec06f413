export { GEN_AI, recordFailure } from "./span-attributes.ts";
export { startTracing, type Tracing } from "./start-tracing.ts";
export { traceAgent, traceProvider, traceTool } from "./traced-agent.ts";
export { traceGuard } from "./traced-guard.ts";
export { traceIntake } from "./traced-intake.ts";
export { traceEnqueues, traceJob } from "./traced-jobs.ts";
export { traceSends } from "./traced-sends.ts";
export {
  type TraceExportSettings,
  type TracingConfig,
  traceExportSettings,
  tracingConfigSchema,
} from "./tracing-config.ts";
