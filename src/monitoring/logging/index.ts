export { CONTENT_FIELDS, createLogger } from "./create-logger.ts";
export { currentLogContext, type LogContext, withLogContext } from "./log-context.ts";
export { type LoggingConfig, loggingConfigSchema } from "./logging-config.ts";
