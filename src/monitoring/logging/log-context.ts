import { AsyncLocalStorage } from "node:async_hooks";

/** What every log line written while handling one message carries. */
export interface LogContext {
  conversationId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` so that the log lines it writes, however deep, carry `context`. */
export function withLogContext<T>(context: LogContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentLogContext(): LogContext | undefined {
  return storage.getStore();
}
