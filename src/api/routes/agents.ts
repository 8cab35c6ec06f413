import type { FastifyInstance } from "fastify";
import { z } from "zod";
import {
  activateAgentVersion,
  diffDocuments,
  formatDiff,
  getAgentVersion,
  listAgentVersions,
  pushAgentVersion,
} from "../../agents/versions/index.ts";
import { appendAudit } from "../../audit/index.ts";
import type { Clock } from "../../shared/clock.ts";
import { parseInput } from "../../shared/parse-input.ts";
import type { Store } from "../../store/index.ts";
import { principalOf, SELF_AUDITED } from "../auth/index.ts";
import { iso } from "../views.ts";

const agentId = z
  .string()
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, "an agent id");
const version = z.string().regex(/^v_[0-9a-f]{12}$/, "a version id (v_ and 12 hex digits)");
const idParams = z.object({ id: agentId });
const versionParams = z.object({ id: agentId, version });
const diffParams = z.object({ id: agentId, version, other: version });
// The YAML travels as a JSON string, so fastify's own JSON parser and body limit apply.
const pushBody = z.object({ document: z.string().min(1) });
const activateBody = z.object({ version });

/**
 * Versioned agent documents: push, list, read, diff, and choose the active version.
 * `secrets` are the names the config declares (`secrets:`), the only ones a document may name.
 */
export async function agentRoutes(
  app: FastifyInstance,
  opts: { store: Store; clock: Clock; secrets: readonly string[] },
) {
  const { store, clock, secrets } = opts;

  app.post("/api/v1/agents/:id/versions", { config: SELF_AUDITED }, async (request, reply) => {
    const { id } = parseInput(idParams, request.params, "params");
    const { document } = parseInput(pushBody, request.body, "body");
    const actor = principalOf(request).name;
    const now = clock.now();
    const pushed = await store.transaction(async (tx) => {
      const result = await pushAgentVersion(
        tx,
        { source: document, file: "body.document", expectedId: id, secrets },
        now,
      );
      // Pushing stored content again changes nothing, so it is not recorded.
      if (result.created) {
        await appendAudit(
          tx,
          { actor, action: "agent.version.push", target: id, data: { version: result.version } },
          now,
        );
      }
      return result;
    });
    reply.status(pushed.created ? 201 : 200);
    return { ...pushed, createdAt: iso(pushed.createdAt) };
  });

  app.get("/api/v1/agents/:id/versions", async (request) => {
    const { id } = parseInput(idParams, request.params, "params");
    const listed = await listAgentVersions(store, id);
    return {
      agentId: id,
      active: listed.active,
      data: listed.versions.map((v) => ({
        version: v.version,
        createdAt: iso(v.createdAt),
        active: v.version === listed.active,
      })),
    };
  });

  app.get("/api/v1/agents/:id/versions/:version", async (request) => {
    const { id, version } = parseInput(versionParams, request.params, "params");
    const [stored, active] = await Promise.all([
      getAgentVersion(store, id, version),
      store.agentVersions.active(id),
    ]);
    return {
      agentId: stored.agentId,
      version: stored.version,
      createdAt: iso(stored.createdAt),
      active: active?.version === version,
      document: stored.document,
      source: stored.source,
    };
  });

  app.get("/api/v1/agents/:id/versions/:version/diff/:other", async (request) => {
    const { id, version, other } = parseInput(diffParams, request.params, "params");
    const [from, to] = await Promise.all([
      getAgentVersion(store, id, version),
      getAgentVersion(store, id, other),
    ]);
    const changes = diffDocuments(from.document, to.document);
    return { agentId: id, from: version, to: other, changes, text: formatDiff(changes) };
  });

  app.post("/api/v1/agents/:id/activate", { config: SELF_AUDITED }, async (request) => {
    const { id } = parseInput(idParams, request.params, "params");
    const body = parseInput(activateBody, request.body, "body");
    const actor = principalOf(request).name;
    const now = clock.now();
    const active = await store.transaction(async (tx) => {
      const result = await activateAgentVersion(tx, id, body.version, now);
      await appendAudit(
        tx,
        {
          actor,
          action: "agent.version.activate",
          target: id,
          data: { version: result.version, previous: result.previous },
        },
        now,
      );
      return result;
    });
    return { ...active, updatedAt: iso(active.updatedAt) };
  });
}
