import { z } from "zod";

export const logLevelSchema = z.enum([
  "fatal",
  "error",
  "warn",
  "info",
  "debug",
  "trace",
  "silent",
]);

/** The `telemetry.logs` section of mainstay.yaml. */
export const loggingConfigSchema = z
  .object({
    /** `MAINSTAY_LOG_LEVEL` in the environment wins when set. */
    level: logLevelSchema.default("info"),
    /**
     * Keep what customers wrote and who they are (message text, addresses, phone numbers,
     * database error details) in log lines. Off: those fields read `[redacted]`.
     */
    includeContent: z.boolean().default(false),
  })
  .strict();

export type LoggingConfig = z.infer<typeof loggingConfigSchema>;
