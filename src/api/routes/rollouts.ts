import type { FastifyInstance } from "fastify";
import { z } from "zod";
import {
  parseRolloutBody,
  parseRolloutYaml,
  type RolloutService,
  type RolloutStatus,
} from "../../rollouts/index.ts";
import { parseInput } from "../../shared/parse-input.ts";
import type { RolloutRecord, Store } from "../../store/index.ts";
import { principalOf, SELF_AUDITED } from "../auth/index.ts";
import { iso } from "../views.ts";

const rolloutParams = z.object({ id: z.string().regex(/^ro_[0-9a-z]{22}$/, "a rollout id") });
const agentParams = z.object({
  id: z
    .string()
    .max(64)
    .regex(/^[a-z0-9][a-z0-9_-]*$/, "an agent id"),
});
const listQuery = z.object({ agent: z.string().max(64).optional() });
/**
 * The rollout file's text, as `mainstay rollout start` reads it, so problems come back
 * with their line and column (`body.document:4:5: ...`); the YAML travels as a JSON string.
 */
const documentBody = z.object({ document: z.string().min(1).max(100_000) }).strict();
const killBody = z
  .object({
    /** Where the agent's conversations go: a person (default), a canned reply or a version. */
    fallback: z
      .discriminatedUnion("type", [
        z.object({ type: z.literal("human") }).strict(),
        z.object({ type: z.literal("canned"), text: z.string().min(1).max(2000) }).strict(),
        z
          .object({
            type: z.literal("version"),
            version: z.string().regex(/^v_[0-9a-f]{12}$/, "a version id"),
          })
          .strict(),
      ])
      .default({ type: "human" }),
    reason: z.string().min(1).max(500),
  })
  .strict();

function rolloutView(r: RolloutRecord) {
  return {
    id: r.id,
    agentId: r.agentId,
    baseline: r.baseline,
    candidate: r.candidate,
    state: r.state,
    step: r.step,
    stepStartedAt: iso(r.stepStartedAt),
    createdBy: r.createdBy,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
    endedAt: iso(r.endedAt),
  };
}

export function statusView(status: RolloutStatus) {
  return {
    ...rolloutView(status.rollout),
    share: status.share,
    spec: status.spec,
    current: status.current ?? null,
    paths: status.paths,
    decisions: status.decisions.map((d) => ({ ...d, createdAt: iso(d.createdAt) })),
  };
}

/** Rollouts (start, read, steer) and the kill switch. */
export async function rolloutRoutes(
  app: FastifyInstance,
  opts: { store: Store; rollouts: RolloutService },
) {
  const { store, rollouts } = opts;

  app.post("/api/v1/rollouts", { config: SELF_AUDITED }, async (request, reply) => {
    const text = documentBody.safeParse(request.body);
    const spec = text.success
      ? parseRolloutYaml(text.data.document, "body.document")
      : parseRolloutBody(request.body);
    const started = await rollouts.start(spec, principalOf(request).name);
    reply.status(201);
    return statusView(await rollouts.status(started.id));
  });

  app.get("/api/v1/rollouts", async (request) => {
    const { agent } = parseInput(listQuery, request.query, "query");
    const list = await store.rollouts.list({ agentId: agent });
    return { data: list.map(rolloutView) };
  });

  app.get("/api/v1/rollouts/:id", async (request) => {
    const { id } = parseInput(rolloutParams, request.params, "params");
    return statusView(await rollouts.status(id));
  });

  for (const action of ["pause", "resume", "promote", "abort"] as const) {
    app.post(`/api/v1/rollouts/:id/${action}`, { config: SELF_AUDITED }, async (request) => {
      const { id } = parseInput(rolloutParams, request.params, "params");
      await rollouts[action](id, principalOf(request).name);
      return statusView(await rollouts.status(id));
    });
  }

  app.get("/api/v1/kills", async () => ({
    data: (await store.agentKills.all()).map((k) => ({ ...k, killedAt: iso(k.killedAt) })),
  }));

  app.post("/api/v1/agents/:id/kill", { config: SELF_AUDITED }, async (request) => {
    const { id } = parseInput(agentParams, request.params, "params");
    const body = parseInput(killBody, request.body ?? {}, "body");
    const kill = await rollouts.kill({ agentId: id, ...body, actor: principalOf(request).name });
    return { ...kill, killedAt: iso(kill.killedAt) };
  });

  app.delete("/api/v1/agents/:id/kill", { config: SELF_AUDITED }, async (request, reply) => {
    const { id } = parseInput(agentParams, request.params, "params");
    await rollouts.unkill({ agentId: id, actor: principalOf(request).name });
    reply.status(204);
  });
}
