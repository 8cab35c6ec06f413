import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { MainstayError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/parse-input.ts";
import type { ApiKeyring, CookieSession } from "../auth/index.ts";
import { readCookie, SESSION_COOKIE, sessionCookie } from "./session-cookie.ts";
import type { SessionStore } from "./session-store.ts";

const signInBody = z.object({ key: z.string().min(1).max(1000) }).strict();

const sessionView = (session: CookieSession) => ({
  name: session.principal.name,
  role: session.principal.role,
  csrfToken: session.csrfToken,
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
  opts: { keyring: ApiKeyring; sessions: SessionStore },
) {
  const { keyring, sessions } = opts;
  const setCookie = (request: FastifyRequest, reply: FastifyReply, id: string | undefined) =>
    reply.header("set-cookie", sessionCookie(request, id, sessions.ttlMs));

  app.post("/console/session", async (request, reply) => {
    const { key } = parseInput(signInBody, request.body, "body");
    const principal = keyring.identify(key);
    if (!principal) throw new MainstayError("MS_UNAUTHORIZED", "invalid API key", 401);
    const { id, session } = sessions.create(principal);
    request.log.info({ principal: principal.name }, "console sign-in");
    setCookie(request, reply, id);
    return sessionView(session);
  });

  app.get("/console/session", async (request) => {
    const session = sessions.sessionOf(request);
    if (!session) throw signedOut();
    return sessionView(session);
  });

  app.delete("/console/session", async (request, reply) => {
    const id = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (id !== undefined) sessions.delete(id);
    setCookie(request, reply, undefined);
    return reply.status(204).send();
  });
}
