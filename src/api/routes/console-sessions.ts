import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { appendAudit } from "../../audit/index.ts";
import type { Clock } from "../../shared/clock.ts";
import { MainstayError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/parse-input.ts";
import type { ConsoleSessionRecord, Store } from "../../store/index.ts";
import { principalOf, SELF_AUDITED } from "../auth/index.ts";
import { iso } from "../views.ts";

const nameQuery = z.object({ name: z.string().min(1).max(64).optional() }).strict();
const revokeAllQuery = z.object({ name: z.string().min(1).max(64) }).strict();
const idParams = z.object({ id: z.string().min(1).max(100) });

const sessionView = (s: ConsoleSessionRecord) => ({
  id: s.idHash,
  name: s.principalName,
  role: s.principalRole,
  createdAt: iso(s.createdAt),
  expiresAt: iso(s.expiresAt),
});

/**
 * Console sign-ins that are live, and revoking them (admin): one by its id, or every one
 * of an API key's name (a key that leaked or a person who left). A revoke holds at once on
 * every instance, since each request reads the session from the store.
 */
export async function consoleSessionRoutes(
  app: FastifyInstance,
  opts: { store: Store; clock: Clock },
) {
  const { store, clock } = opts;

  app.get("/api/v1/console-sessions", async (request) => {
    const { name } = parseInput(nameQuery, request.query, "query");
    const sessions = await store.consoleSessions.listLive(clock.now(), name);
    return { data: sessions.map(sessionView) };
  });

  app.delete("/api/v1/console-sessions/:id", { config: SELF_AUDITED }, async (request, reply) => {
    const { id } = parseInput(idParams, request.params, "params");
    const actor = principalOf(request).name;
    const now = clock.now();
    const revoked = await store.transaction(async (tx) => {
      if (!(await tx.consoleSessions.revoke(id, now))) return false;
      await appendAudit(tx, { actor, action: "console.session.revoke", target: id }, now);
      return true;
    });
    if (!revoked) {
      throw new MainstayError("MS_NOT_FOUND", `no live console session ${id}`, 404);
    }
    return reply.status(204).send();
  });

  app.delete("/api/v1/console-sessions", { config: SELF_AUDITED }, async (request) => {
    const { name } = parseInput(revokeAllQuery, request.query, "query");
    const actor = principalOf(request).name;
    const now = clock.now();
    const revoked = await store.transaction(async (tx) => {
      const count = await tx.consoleSessions.revokeAllOf(name, now);
      const data = { revoked: count };
      await appendAudit(
        tx,
        { actor, action: "console.session.revoke_all", target: name, data },
        now,
      );
      return count;
    });
    return { revoked };
  });
}
