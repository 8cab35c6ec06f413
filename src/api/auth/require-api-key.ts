import type { FastifyRequest } from "fastify";
import { MainstayError } from "../../shared/errors.ts";
import { safeEqual } from "../../shared/hmac.ts";
import type { ApiKeyring } from "./api-keys.ts";
import type { Principal } from "./principal.ts";
import { minimumRole, roleAllows } from "./role-rules.ts";

/** A signed-in browser (the console): who it is, and the token its writes must echo. */
export interface CookieSession {
  principal: Principal;
  csrfToken: string;
}

export interface SessionLookup {
  /** The live session the request's cookie names, if any. */
  sessionOf(request: FastifyRequest): CookieSession | undefined;
}

/** Methods that change nothing, so a cross-site request cannot do harm with them. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function bearerPrincipal(keyring: ApiKeyring, header: string): Principal {
  const [scheme, token] = header.split(" ", 2);
  const principal =
    scheme?.toLowerCase() === "bearer" && token ? keyring.identify(token) : undefined;
  if (!principal) throw new MainstayError("MS_UNAUTHORIZED", "invalid API key", 401);
  return principal;
}

/**
 * A browser sends cookies on any request to us, even one another site's page started, so
 * a cookie-authenticated write must also prove it came from our page: the CSRF token
 * only our page could read (OWASP CSRF cheat sheet, synchronizer token pattern).
 */
function sessionPrincipal(request: FastifyRequest, session?: CookieSession): Principal {
  if (!session) {
    throw new MainstayError(
      "MS_UNAUTHORIZED",
      "missing Authorization header; send `Authorization: Bearer <API key>`",
      401,
    );
  }
  if (!SAFE_METHODS.has(request.method)) {
    const sent = request.headers["x-csrf-token"];
    if (typeof sent !== "string" || !safeEqual(sent, session.csrfToken)) {
      throw new MainstayError(
        "MS_CSRF",
        "missing or wrong X-CSRF-Token header; send the csrfToken the console session returned",
        403,
      );
    }
  }
  return session.principal;
}

/**
 * `onRequest` hook: `Authorization: Bearer <key>` or a console session cookie names the
 * principal (401 otherwise), whose role must reach the route's minimum (403 otherwise,
 * naming the role needed).
 */
export function requireApiKey(keyring: ApiKeyring, sessions?: SessionLookup) {
  return async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    const principal = header
      ? bearerPrincipal(keyring, header)
      : sessionPrincipal(request, sessions?.sessionOf(request));
    const route = request.routeOptions.url ?? request.url;
    const needed = minimumRole(request.method, route);
    if (!roleAllows(principal.role, needed)) {
      throw new MainstayError(
        "MS_FORBIDDEN",
        `${request.method} ${route} needs the ${needed} role; key "${principal.name}" has the ${principal.role} role`,
        403,
      );
    }
    request.principal = principal;
  };
}
