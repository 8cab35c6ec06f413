import { describeError, MainstayError } from "../../shared/errors.ts";

export const DB_UNAVAILABLE = "MS_DB_UNAVAILABLE";

/** What clients are told to wait: about how long PostgreSQL takes to restart or fail over. */
const RETRY_AFTER_SECONDS = 2;

/**
 * SQLSTATE class 08 (connection exception) and the shutdown codes of class 57
 * (https://www.postgresql.org/docs/current/errcodes-appendix.html): 57P01 is what
 * pg_terminate_backend and a fast shutdown send.
 */
const LOST_SQLSTATE = /^(08|57P0[1-3])/;

/** Socket errors of a peer that went away or never answered. */
const LOST_SOCKET = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/** node-postgres reports these without a code (pg/lib/client.js, pg-pool/index.js). */
const LOST_MESSAGE =
  /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/;

/** Whether `e` says the connection to PostgreSQL is gone, rather than the SQL was refused. */
export function isConnectionLost(e: unknown): boolean {
  if (e instanceof MainstayError) return e.code === DB_UNAVAILABLE;
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === "string" && (LOST_SQLSTATE.test(code) || LOST_SOCKET.has(code))) return true;
  // Node 20 reports a refused dual-stack connect as an AggregateError of both attempts.
  if (e instanceof AggregateError) return e.errors.some(isConnectionLost);
  return LOST_MESSAGE.test(e.message);
}

/** The 503 a request gets while the database is out of reach (error-handler sets Retry-After). */
export function databaseUnavailable(cause: unknown, outcome = ""): MainstayError {
  if (cause instanceof MainstayError && cause.code === DB_UNAVAILABLE) return cause;
  return new MainstayError(
    DB_UNAVAILABLE,
    `database unavailable: ${describeError(cause)}${outcome}`,
    503,
    { retryAfterSeconds: RETRY_AFTER_SECONDS },
  );
}
