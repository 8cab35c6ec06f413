import { z } from "zod";
import { loggingConfigSchema } from "./logging/logging-config.ts";
import { metricsConfigSchema } from "./metrics/metrics-config.ts";
import { tracingConfigSchema } from "./tracing/tracing-config.ts";

/** The `telemetry` section of mainstay.yaml (docs/operations.md). */
export const telemetryConfigSchema = z
  .object({
    metrics: metricsConfigSchema.prefault({}),
    traces: tracingConfigSchema.prefault({}),
    logs: loggingConfigSchema.prefault({}),
  })
  .strict();

export type TelemetryConfig = z.infer<typeof telemetryConfigSchema>;
