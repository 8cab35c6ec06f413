import type { FastifyRequest } from "fastify";

export const SESSION_COOKIE = "mainstay_session";

/** The value of cookie `name` in a `Cookie` header (RFC 6265 section 4.2), if sent. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const pair of header?.split(";") ?? []) {
    const eq = pair.indexOf("=");
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * The `Set-Cookie` value for a session id (or its removal when `id` is undefined):
 * HttpOnly so page scripts never see it, SameSite=Strict so no other site's page sends
 * it, and Secure whenever the browser reached us over https.
 */
export function sessionCookie(
  request: FastifyRequest,
  id: string | undefined,
  maxAgeMs: number,
): string {
  const parts = [
    `${SESSION_COOKIE}=${id ?? ""}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Strict",
    `Max-Age=${id === undefined ? 0 : Math.floor(maxAgeMs / 1000)}`,
  ];
  if (request.protocol === "https") parts.push("Secure");
  return parts.join("; ");
}
