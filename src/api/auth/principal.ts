import type { FastifyRequest } from "fastify";
import { MainstayError } from "../../shared/errors.ts";
import type { ApiKeyScopes } from "../../store/index.ts";
import type { Role } from "./role-rules.ts";

/** Who is calling: the API key's name (or `cli:<user>` in-process) and its role. */
export interface Principal {
  name: string;
  role: Role;
  /** A managed key's limits (key-scopes.ts); config keys and sessions have none. */
  scopes?: ApiKeyScopes;
}

declare module "fastify" {
  interface FastifyRequest {
    /** Set by the API's authentication hook (`requireApiKey`) or by `actAs`. */
    principal?: Principal;
  }
}

/** The caller of a request that passed authentication. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) {
    // A route mounted without the authentication hook: a wiring mistake, not the caller's.
    throw new MainstayError("MS_INTERNAL", `no principal on ${request.method} ${request.url}`, 500);
  }
  return request.principal;
}

/** `onRequest` hook for in-process callers (the CLI): every request acts as `principal`. */
export function actAs(principal: Principal) {
  return async (request: FastifyRequest) => {
    request.principal = principal;
  };
}
