import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import {
  eraseContact,
  exportContact,
  type LegalHold,
  liftHold,
  listHolds,
  placeHold,
} from "../../governance/index.ts";
import type { Clock } from "../../shared/clock.ts";
import { MainstayError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/parse-input.ts";
import type { Store } from "../../store/index.ts";
import { principalOf, roleAllows, SELF_AUDITED } from "../auth/index.ts";
import { iso } from "../views.ts";

const idParams = z.object({ id: z.string().min(1).max(100) });
const scope = z.enum(["contact", "conversation"]);
const holdBody = z.object({
  scope,
  targetId: z.string().min(1).max(100),
  reason: z.string().trim().min(1).max(500),
});
const holdsQuery = z.object({
  scope: scope.optional(),
  targetId: z.string().min(1).max(100).optional(),
  active: z.enum(["true", "false"]).default("true"),
});

function holdView(h: LegalHold) {
  return {
    id: h.id,
    scope: h.scope,
    targetId: h.targetId,
    reason: h.reason,
    createdBy: h.createdBy,
    createdAt: iso(h.createdAt),
    releasedAt: h.releasedAt === null ? null : iso(h.releasedAt),
    releasedBy: h.releasedBy,
  };
}

/**
 * Reading everything about a person is an admin's act, though it is a GET (which viewers
 * may otherwise do): checked here, as the role rules let every GET through.
 */
function adminOnly(request: FastifyRequest): string {
  const principal = principalOf(request);
  if (!roleAllows(principal.role, "admin")) {
    throw new MainstayError("MS_FORBIDDEN", "exporting a contact needs the admin role", 403);
  }
  return principal.name;
}

/** A person's data: export it, erase it, and hold it back from retention and erasure. */
export async function governanceRoutes(app: FastifyInstance, opts: { store: Store; clock: Clock }) {
  const { store, clock } = opts;

  app.get("/api/v1/contacts/:id/export", { config: SELF_AUDITED }, async (request) => {
    const actor = adminOnly(request);
    const { id } = parseInput(idParams, request.params, "params");
    return exportContact(store, id, actor, clock.now());
  });

  app.post("/api/v1/contacts/:id/erase", { config: SELF_AUDITED }, async (request) => {
    const { id } = parseInput(idParams, request.params, "params");
    const erasure = await eraseContact(store, id, principalOf(request).name, clock.now());
    return { ...erasure, erasedAt: iso(erasure.erasedAt) };
  });

  app.get("/api/v1/legal-holds", async (request) => {
    const q = parseInput(holdsQuery, request.query, "query");
    const holds = await listHolds(store.db, { ...q, active: q.active === "true" });
    return { data: holds.map(holdView) };
  });

  app.post("/api/v1/legal-holds", { config: SELF_AUDITED }, async (request, reply) => {
    const body = parseInput(holdBody, request.body, "body");
    const hold = await placeHold(store, { ...body, actor: principalOf(request).name }, clock.now());
    reply.status(201);
    return holdView(hold);
  });

  app.post("/api/v1/legal-holds/:id/lift", { config: SELF_AUDITED }, async (request) => {
    const { id } = parseInput(idParams, request.params, "params");
    return holdView(await liftHold(store, id, principalOf(request).name, clock.now()));
  });
}
