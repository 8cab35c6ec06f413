import type { CookieSerializeOptions } from "@fastify/cookie";
import type { FastifyRequest } from "fastify";

export const SESSION_COOKIE = "mainstay_session";

/**
 * How the session cookie is set (or removed, with `maxAgeMs` 0): HttpOnly so page scripts
 * never see it, SameSite=Strict so no other site's page sends it, and Secure whenever the
 * browser reached us over https.
 */
export function sessionCookieOptions(
  request: FastifyRequest,
  maxAgeMs: number,
): CookieSerializeOptions {
  return {
    path: "/",
    httpOnly: true,
    sameSite: "strict",
    maxAge: Math.floor(maxAgeMs / 1000),
    secure: request.protocol === "https",
  };
}
