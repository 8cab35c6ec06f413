import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { latestEvalResult } from "../../evaluation/index.ts";
import { parseInput } from "../../shared/parse-input.ts";
import type { EvalRunRecord, Store } from "../../store/index.ts";
import { iso } from "../views.ts";

// Any stored version id, and the built-in agent's configured version ("1").
const params = z.object({
  id: z
    .string()
    .max(64)
    .regex(/^[a-z0-9][a-z0-9_-]*$/, "an agent id"),
  version: z.string().min(1).max(64),
});
const query = z.object({
  kind: z.enum(["eval", "replay", "redteam"]).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

const runView = (run: EvalRunRecord) => ({
  id: run.id,
  kind: run.kind,
  name: run.name,
  passed: run.passed,
  baselineVersion: run.baselineVersion,
  summary: run.summary,
  cases: run.cases,
  startedAt: iso(run.startedAt),
  finishedAt: iso(run.finishedAt),
});

/** Evaluation results of an agent version: the latest eval verdict and the runs, newest first. */
export async function evaluationRoutes(app: FastifyInstance, opts: { store: Store }) {
  const { store } = opts;
  app.get("/api/v1/agents/:id/versions/:version/evaluations", async (request) => {
    const { id, version } = parseInput(params, request.params, "params");
    const q = parseInput(query, request.query, "query");
    const [latest, runs] = await Promise.all([
      latestEvalResult(store, id, version),
      store.evalRuns.list(id, version, { ...(q.kind ? { kind: q.kind } : {}), limit: q.limit }),
    ]);
    return {
      agentId: id,
      version,
      latestEval: latest ? { ...latest, finishedAt: iso(latest.finishedAt) } : null,
      data: runs.map(runView),
    };
  });
}
