import { context, isSpanContextValid, trace } from "@opentelemetry/api";
import pino, { type DestinationStream, type Logger } from "pino";
import { MainstayError } from "../../shared/errors.ts";
import { currentLogContext } from "./log-context.ts";
import { type LoggingConfig, logLevelSchema } from "./logging-config.ts";

/**
 * Fields that can hold what a customer wrote or who they are, at the top level or one
 * level down, and the `detail` PostgreSQL puts on a constraint error, which quotes the
 * row's values (`Key (address)=(+15550001) already exists`).
 */
export const CONTENT_FIELDS = [
  "text",
  "content",
  "to",
  "from",
  "address",
  "phone",
  "email",
  "displayName",
] as const;
const REDACT_PATHS = [
  ...CONTENT_FIELDS,
  ...CONTENT_FIELDS.map((field) => `*.${field}`),
  "err.detail",
  "*.err.detail",
];

/**
 * The server's logger: JSON lines (pino) where every line written while a message is
 * handled carries its conversation id and, when tracing is on, the trace and span ids
 * (`trace_id`, `span_id`, the field names of the OpenTelemetry log data model), so a log
 * line leads to its trace and back. `env.MAINSTAY_LOG_LEVEL` overrides the configured level.
 */
export function createLogger(
  config: LoggingConfig,
  env: NodeJS.ProcessEnv,
  destination?: DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level: levelFrom(env["MAINSTAY_LOG_LEVEL"]) ?? config.level,
    base: undefined,
    mixin: correlationFields,
    ...(config.includeContent ? {} : { redact: { paths: REDACT_PATHS, censor: "[redacted]" } }),
  };
  return destination ? pino(options, destination) : pino(options);
}

function levelFrom(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const level = logLevelSchema.safeParse(value);
  if (level.success) return level.data;
  throw new MainstayError(
    "MS_CONFIG_INVALID",
    `MAINSTAY_LOG_LEVEL: "${value}" is not one of ${logLevelSchema.options.join(", ")}`,
  );
}

function correlationFields(): Record<string, string> {
  const fields: Record<string, string> = {};
  const conversationId = currentLogContext()?.conversationId;
  if (conversationId) fields["conversationId"] = conversationId;
  const span = trace.getSpan(context.active())?.spanContext();
  if (span && isSpanContextValid(span)) {
    fields["trace_id"] = span.traceId;
    fields["span_id"] = span.spanId;
  }
  return fields;
}
