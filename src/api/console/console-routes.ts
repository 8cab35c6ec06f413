import type { FastifyInstance } from "fastify";
import type { SignInGuard } from "../../limits/index.ts";
import type { ApiKeyring, ManagedKeys } from "../auth/index.ts";
import { consoleFiles } from "./console-files.ts";
import { sessionRoutes } from "./session-routes.ts";
import type { SessionStore } from "./session-store.ts";

/** The operator console: its files, sign-in, and `/` leading to it (docs/console.md). */
export async function consoleRoutes(
  app: FastifyInstance,
  opts: {
    keyring: ApiKeyring;
    sessions: SessionStore;
    dist: string;
    signIn?: SignInGuard;
    managed?: Pick<ManagedKeys, "identify">;
  },
) {
  app.get("/", (_request, reply) => reply.redirect("/console", 302));
  await app.register(sessionRoutes, {
    keyring: opts.keyring,
    sessions: opts.sessions,
    signIn: opts.signIn,
    ...(opts.managed && { managed: opts.managed }),
  });
  await app.register(consoleFiles, { dist: opts.dist });
}
