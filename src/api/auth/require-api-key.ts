import type { FastifyRequest } from "fastify";
import { MainstayError } from "../../shared/errors.ts";
import type { ApiKeyring } from "./api-keys.ts";
import { minimumRole, roleAllows } from "./role-rules.ts";

/**
 * `onRequest` hook: `Authorization: Bearer <key>` names the principal (401 otherwise),
 * whose role must reach the route's minimum (403 otherwise, naming the role needed).
 */
export function requireApiKey(keyring: ApiKeyring) {
  return async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (!header) {
      throw new MainstayError(
        "MS_UNAUTHORIZED",
        "missing Authorization header; send `Authorization: Bearer <API key>`",
        401,
      );
    }
    const [scheme, token] = header.split(" ", 2);
    const principal =
      scheme?.toLowerCase() === "bearer" && token ? keyring.identify(token) : undefined;
    if (!principal) throw new MainstayError("MS_UNAUTHORIZED", "invalid API key", 401);
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
