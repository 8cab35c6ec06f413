import type { FastifyRequest } from "fastify";
import { MainstayError } from "../shared/errors.ts";
import { safeEqual } from "../shared/hmac.ts";

/** `onRequest` hook: require `Authorization: Bearer <admin key>`. */
export function requireAdminKey(adminKey: string) {
  return async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (!header) {
      throw new MainstayError(
        "MS_UNAUTHORIZED",
        "missing Authorization header; send `Authorization: Bearer <admin key>`",
        401,
      );
    }
    const [scheme, token] = header.split(" ", 2);
    if (scheme?.toLowerCase() !== "bearer" || !token || !safeEqual(token, adminKey)) {
      throw new MainstayError("MS_UNAUTHORIZED", "invalid admin key", 401);
    }
  };
}
