import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { utcDay } from "../../quality/index.ts";
import type { Clock } from "../../shared/clock.ts";
import { MainstayError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/parse-input.ts";
import type { JudgedRow, SampleReason, Store } from "../../store/index.ts";
import { iso } from "../views.ts";
import { instant } from "./metrics-api.ts";

/** Judged conversations one request reads, as the outcomes endpoint bounds its labelling. */
export const MAX_JUDGED = 100_000;
const DEFAULT_RANGE_MS = 7 * 24 * 3_600_000;

const qualityQuery = z.object({ from: instant.optional(), to: instant.optional() });
const agentParams = z.object({ id: z.string().min(1).max(100) });

const mean = (values: number[]) =>
  values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;

/** Per version: how many were judged, the mean scores, bad ones and why they were sampled. */
export function summariseScores(rows: readonly JudgedRow[], pending: ReadonlyMap<string, number>) {
  const byVersion = new Map<string, JudgedRow[]>();
  for (const row of rows) {
    const judged = byVersion.get(row.agentVersion);
    if (judged) judged.push(row);
    else byVersion.set(row.agentVersion, [row]);
  }
  for (const version of pending.keys()) if (!byVersion.has(version)) byVersion.set(version, []);
  return [...byVersion].map(([version, judged]) => {
    const names = [...new Set(judged.flatMap((r) => Object.keys(r.criteria)))].sort();
    const bad = judged.filter((r) => r.bad).length;
    const reasons: Record<SampleReason, number> = { escalation: 0, guardrail: 0, random: 0 };
    for (const r of judged) reasons[r.reason] += 1;
    return {
      version,
      judged: judged.length,
      pending: pending.get(version) ?? 0,
      score: mean(judged.map((r) => r.overall)),
      criteria: Object.fromEntries(
        names.map((n) => [n, mean(judged.flatMap((r) => r.criteria[n] ?? []))]),
      ),
      bad,
      badShare: judged.length === 0 ? null : bad / judged.length,
      sampledBecause: reasons,
    };
  });
}

/**
 * `GET /api/v1/agents/{id}/quality`: the live-quality scores of the agent's conversations
 * judged in [from, to] (default: the last 7 days), per version, and the judge's spend today
 * (docs/live-quality.md). Shaped like `/outcomes`.
 */
export async function agentQualityRoutes(
  app: FastifyInstance,
  opts: { store: Store; clock: Clock },
) {
  const { store } = opts;
  app.get("/api/v1/agents/:id/quality", async (request) => {
    const { id } = parseInput(agentParams, request.params, "params");
    const q = parseInput(qualityQuery, request.query, "query");
    const now = opts.clock.now();
    const to = q.to ?? now;
    const from = q.from ?? to - DEFAULT_RANGE_MS;
    if (from >= to) {
      throw new MainstayError("MS_QUALITY_RANGE", "query.from: must be before to", 400);
    }
    const [rows, pending, spend] = await Promise.all([
      store.qualityScores.judgedForAgent(id, { from, to }, MAX_JUDGED + 1),
      store.qualityScores.pendingForAgent(id),
      store.qualityScores.spendOn(utcDay(now)),
    ]);
    if (rows.length > MAX_JUDGED) {
      throw new MainstayError(
        "MS_QUALITY_RANGE",
        `query: more than ${MAX_JUDGED} judged conversations in the range; ask for a shorter one`,
        400,
      );
    }
    return {
      agentId: id,
      from: iso(from),
      to: iso(to),
      data: summariseScores(rows, pending),
      judgeToday: { day: iso(utcDay(now)), ...spend },
    };
  });
}
