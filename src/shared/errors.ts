/**
 * One error type with a stable code (fastify's FST_ERR_* style). `status` is the HTTP
 * status the API answers with; CLI commands print `code: message` and exit non-zero.
 */
export class MainstayError extends Error {
  override readonly name = "MainstayError";
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const isMainstayError = (e: unknown): e is MainstayError => e instanceof MainstayError;

/** Render any thrown value as a message a log line or a user can read. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
