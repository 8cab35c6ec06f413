import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { SignInGuard } from "../../limits/index.ts";
import { MainstayError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/parse-input.ts";
import type { ApiKeyring, ManagedKeys, Principal } from "../auth/index.ts";
import { SESSION_COOKIE, sessionCookieOptions } from "./session-cookie.ts";
import { type SessionStore, sessionIdOf } from "./session-store.ts";

const signInBody = z.object({ key: z.string().min(1).max(1000) }).strict();

/** `id` names the session in `/api/v1/console-sessions` (so it can be revoked there). */
const sessionView = (id: string, principal: Principal, csrfToken: string) => ({
  id: sessionIdOf(id),
  name: principal.name,
  role: principal.role,
  csrfToken,
});

const signedOut = () =>
  new MainstayError(
    "MS_UNAUTHORIZED",
    "not signed in; POST /console/session with your API key",
    401,
  );

/** Sign in to the console with an API key, see who is signed in, sign out. */
export async function sessionRoutes(
  app: FastifyInstance,
  opts: {
    keyring: ApiKeyring;
    sessions: SessionStore;
    signIn?: SignInGuard;
    managed?: Pick<ManagedKeys, "identify">;
  },
) {
  const { keyring, sessions, signIn, managed } = opts;

  app.post("/console/session", async (request, reply) => {
    const { key } = parseInput(signInBody, request.body, "body");
    // A locked-out address or key prefix is refused before the key is even compared.
    await signIn?.check(request.ip, key);
    const principal = keyring.identify(key) ?? (await managed?.identify(key));
    if (principal?.scopes) {
      // The console is not scoped: a key limited to some channels or agents stays on the API.
      throw new MainstayError(
        "MS_FORBIDDEN",
        "a scoped API key cannot sign in to the console",
        403,
      );
    }
    if (!principal) {
      await signIn?.failed(request.ip, key);
      throw new MainstayError("MS_UNAUTHORIZED", "invalid API key", 401);
    }
    await signIn?.succeeded(key);
    const { id, csrfToken } = await sessions.create(principal);
    request.log.info({ principal: principal.name }, "console sign-in");
    reply.setCookie(SESSION_COOKIE, id, sessionCookieOptions(request, sessions.ttlMs));
    return sessionView(id, principal, csrfToken);
  });

  app.get("/console/session", async (request) => {
    const id = request.cookies[SESSION_COOKIE];
    const session = id ? await sessions.get(id) : undefined;
    if (!id || !session) throw signedOut();
    return sessionView(id, session.principal, session.csrfToken);
  });

  app.delete("/console/session", async (request, reply) => {
    const id = request.cookies[SESSION_COOKIE];
    if (id) await sessions.revoke(id);
    reply.setCookie(SESSION_COOKIE, "", sessionCookieOptions(request, 0));
    return reply.status(204).send();
  });
}
