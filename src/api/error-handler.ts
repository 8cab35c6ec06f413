import type { FastifyError, FastifyInstance } from "fastify";
import { MainstayError } from "../shared/errors.ts";

/** Fastify's own error codes, mapped to ours so clients see one stable vocabulary. */
const FASTIFY_CODES: Record<string, [code: string, status: number, message?: string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: ["MS_JSON_INVALID", 400, "request body is not valid JSON"],
  FST_ERR_CTP_EMPTY_JSON_BODY: ["MS_JSON_INVALID", 400, "request body is empty"],
  FST_ERR_CTP_BODY_TOO_LARGE: ["MS_BODY_TOO_LARGE", 413, "request body is over the size limit"],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ["MS_UNSUPPORTED_MEDIA_TYPE", 415],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ["MS_BAD_REQUEST", 400],
};

export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

/** Every error leaves as `{"error":{"code","message"}}`; 5xx details stay in the log. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | MainstayError, request, reply) => {
    if (error instanceof MainstayError) {
      if (error.status >= 500) request.log.error({ err: error }, "request failed");
      const retryAfter = (error.details as { retryAfterSeconds?: number } | undefined)
        ?.retryAfterSeconds;
      if (retryAfter !== undefined) reply.header("retry-after", String(retryAfter));
      return reply.status(error.status).send(errorBody(error.code, error.message));
    }
    const known = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (known) {
      const [code, status, message] = known;
      return reply.status(status).send(errorBody(code, message ?? error.message));
    }
    if (error.validation) {
      return reply.status(400).send(errorBody("MS_BAD_REQUEST", error.message));
    }
    if (error.statusCode && error.statusCode < 500) {
      return reply.status(error.statusCode).send(errorBody("MS_BAD_REQUEST", error.message));
    }
    request.log.error({ err: error }, "request failed");
    return reply.status(500).send(errorBody("MS_INTERNAL", "internal error; see the server log"));
  });
  app.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .send(
        errorBody("MS_NOT_FOUND", `no route for ${request.method} ${request.url.split("?")[0]}`),
      );
  });
}
