import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Clock } from "../../shared/clock.ts";
import { MainstayError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/parse-input.ts";
import type { ApiKeyRecord } from "../../store/index.ts";
import {
  keyNameSchema,
  type ManagedKeys,
  principalOf,
  ROLES,
  SELF_AUDITED,
} from "../auth/index.ts";
import { iso } from "../views.ts";

const idList = z.array(z.string().min(1).max(100)).min(1).max(100);

const createBody = z
  .object({
    name: keyNameSchema,
    role: z.enum(ROLES),
    scopes: z
      .object({ channels: idList.optional(), agents: idList.optional() })
      .strict()
      .optional(),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
const idParams = z.object({ id: z.string().min(1).max(100) });

const keyView = (k: ApiKeyRecord, now: number) => ({
  id: k.id,
  name: k.name,
  role: k.role,
  tokenPrefix: k.tokenPrefix,
  scopes: k.scopes,
  status:
    k.revokedAt !== null
      ? "revoked"
      : k.expiresAt !== null && k.expiresAt <= now
        ? "expired"
        : "live",
  expiresAt: iso(k.expiresAt),
  createdAt: iso(k.createdAt),
  createdBy: k.createdBy,
  rotatedAt: iso(k.rotatedAt),
  rotatedBy: k.rotatedBy,
  revokedAt: iso(k.revokedAt),
  revokedBy: k.revokedBy,
  lastUsedAt: iso(k.lastUsedAt),
});

/**
 * Managed API keys (admin): create and rotate answer the token, the only time it is shown;
 * list shows every key, revoked and expired ones too, without tokens.
 */
export async function apiKeyRoutes(
  app: FastifyInstance,
  opts: { keys: ManagedKeys; clock: Clock },
) {
  const { keys, clock } = opts;

  app.get("/api/v1/api-keys", async () => {
    const now = clock.now();
    return { data: (await keys.list()).map((k) => keyView(k, now)) };
  });

  app.post("/api/v1/api-keys", { config: SELF_AUDITED }, async (request, reply) => {
    const body = parseInput(createBody, request.body ?? {}, "body");
    const expiresAt = body.expiresAt === undefined ? undefined : Date.parse(body.expiresAt);
    if (expiresAt !== undefined && expiresAt <= clock.now()) {
      throw new MainstayError("MS_BAD_REQUEST", "body.expiresAt: must be in the future", 400);
    }
    const created = await keys.create({ ...body, expiresAt }, principalOf(request).name);
    reply.status(201);
    return { ...keyView(created.key, clock.now()), token: created.token };
  });

  app.post("/api/v1/api-keys/:id/rotate", { config: SELF_AUDITED }, async (request) => {
    const { id } = parseInput(idParams, request.params, "params");
    const rotated = await keys.rotate(id, principalOf(request).name);
    return { ...keyView(rotated.key, clock.now()), token: rotated.token };
  });

  app.delete("/api/v1/api-keys/:id", { config: SELF_AUDITED }, async (request, reply) => {
    const { id } = parseInput(idParams, request.params, "params");
    await keys.revoke(id, principalOf(request).name);
    return reply.status(204).send();
  });
}
