import type { FastifyRequest } from "fastify";
import type { SignInGuard } from "../../limits/index.ts";
import { bearerToken } from "../../shared/bearer-token.ts";
import { MainstayError } from "../../shared/errors.ts";
import type { ApiKeyring } from "./api-keys.ts";
import { type ConversationLookup, enforceScopes } from "./key-scopes.ts";
import type { ManagedKeys } from "./managed-keys.ts";
import type { Principal } from "./principal.ts";
import { minimumRole, roleAllows } from "./role-rules.ts";

/** A signed-in browser (the console): who it is, and the token its writes must echo. */
export interface CookieSession {
  principal: Principal;
  /** Whether `token` is this session's CSRF token (compared in constant time). */
  csrfMatches(token: string): boolean;
}

export interface SessionLookup {
  /** The live session the request's cookie names, if any (read from the store). */
  sessionOf(request: FastifyRequest): Promise<CookieSession | undefined>;
}

/** Methods that change nothing, so a cross-site request cannot do harm with them. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Keys made through the API, and what their scope checks read. */
export interface ManagedKeyAuth {
  keys: Pick<ManagedKeys, "identify">;
  conversation: ConversationLookup;
}

async function bearerPrincipal(
  keyring: ApiKeyring,
  header: string,
  address: string,
  guard?: SignInGuard,
  managed?: ManagedKeyAuth,
): Promise<Principal> {
  const token = bearerToken(header);
  if (token === undefined) {
    throw new MainstayError(
      "MS_UNAUTHORIZED",
      "malformed Authorization header; send `Authorization: Bearer <API key>` (one space, nothing after the key)",
      401,
    );
  }
  // A locked-out address or key prefix is refused before the key is even compared.
  await guard?.check(address, token);
  const principal = keyring.identify(token) ?? (await managed?.keys.identify(token));
  if (!principal) {
    await guard?.failed(address, token);
    throw new MainstayError("MS_UNAUTHORIZED", "invalid API key", 401);
  }
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
    if (typeof sent !== "string" || !session.csrfMatches(sent)) {
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
 * naming the role needed), and a scoped managed key must stay inside its scopes (403).
 * Wrong keys count against `guard`'s lock-outs (429).
 */
export function requireApiKey(
  keyring: ApiKeyring,
  sessions?: SessionLookup,
  guard?: SignInGuard,
  managed?: ManagedKeyAuth,
) {
  return async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    const principal = header
      ? await bearerPrincipal(keyring, header, request.ip, guard, managed)
      : sessionPrincipal(request, await sessions?.sessionOf(request));
    const route = request.routeOptions.url ?? request.url;
    const needed = minimumRole(request.method, route);
    if (!roleAllows(principal.role, needed)) {
      throw new MainstayError(
        "MS_FORBIDDEN",
        `${request.method} ${route} needs the ${needed} role; key "${principal.name}" has the ${principal.role} role`,
        403,
      );
    }
    if (managed) await enforceScopes(request, principal, route, managed.conversation);
    request.principal = principal;
  };
}
