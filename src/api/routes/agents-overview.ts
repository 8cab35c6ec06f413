import type { FastifyInstance } from "fastify";
import { z } from "zod";
import {
  labelOutcome,
  OUTCOME_LABELS,
  type OutcomeLabel,
  type OutcomeLabelSettings,
} from "../../conversations/index.ts";
import { currentShare, specOf } from "../../rollouts/index.ts";
import type { Clock } from "../../shared/clock.ts";
import { MainstayError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/parse-input.ts";
import type { Store, VersionOutcomeFacts } from "../../store/index.ts";
import { iso } from "../views.ts";
import { instant } from "./metrics-api.ts";

/** Conversations one outcomes request labels: 3 to 5 seconds of work (docs/outcomes.md). */
export const MAX_LABELLED = 100_000;
const DEFAULT_RANGE_MS = 7 * 24 * 3_600_000;

const outcomesQuery = z.object({ from: instant.optional(), to: instant.optional() });
const agentParams = z.object({ id: z.string().min(1).max(100) });

/** Per version: how many conversations got each label, and each label's share of them. */
export function countOutcomes(
  facts: readonly VersionOutcomeFacts[],
  settings: OutcomeLabelSettings,
  now: number,
) {
  const byVersion = new Map<string, Record<OutcomeLabel, number>>();
  for (const f of facts) {
    const version = f.agentVersion ?? "";
    let counts = byVersion.get(version);
    if (!counts) {
      counts = Object.fromEntries(OUTCOME_LABELS.map((l) => [l, 0])) as Record<
        OutcomeLabel,
        number
      >;
      byVersion.set(version, counts);
    }
    counts[labelOutcome(f, settings, now).label] += 1;
  }
  return [...byVersion].map(([version, counts]) => {
    const total = OUTCOME_LABELS.reduce((sum, l) => sum + counts[l], 0);
    const shares = Object.fromEntries(OUTCOME_LABELS.map((l) => [l, counts[l] / total]));
    return { version, total, counts, shares: shares as Record<OutcomeLabel, number> };
  });
}

/**
 * `GET /api/v1/agents`: every agent this server knows, with its active version, whether it
 * is killed, and the rollout that splits its traffic. The agent the configuration runs is
 * listed even when it has no stored versions (the built-in agent from mainstay.yaml).
 */
export async function agentsOverviewRoutes(
  app: FastifyInstance,
  opts: {
    store: Store;
    currentAgent: () => Promise<{ id: string; version: string }>;
    clock: Clock;
    outcomes: OutcomeLabelSettings;
  },
) {
  const { store } = opts;
  app.get("/api/v1/agents", async () => {
    const [stored, kills, rollouts, current] = await Promise.all([
      store.agentVersions.agents(),
      store.agentKills.all(),
      store.rollouts.live(),
      opts.currentAgent(),
    ]);
    const ids = new Set(stored.map((a) => a.agentId));
    const rows = [...stored];
    if (!ids.has(current.id)) rows.push({ agentId: current.id, versions: 0 });
    const data = await Promise.all(
      rows.map(async ({ agentId, versions }) => {
        const active = await store.agentVersions.active(agentId);
        const kill = kills.find((k) => k.agentId === agentId);
        const rollout = rollouts.find((r) => r.agentId === agentId);
        return {
          id: agentId,
          active: active?.version ?? (agentId === current.id ? current.version : null),
          versions,
          serving: agentId === current.id,
          killed: kill
            ? {
                reason: kill.reason,
                fallback: kill.fallback,
                actor: kill.actor,
                killedAt: iso(kill.killedAt),
              }
            : null,
          rollout: rollout
            ? {
                id: rollout.id,
                state: rollout.state,
                baseline: rollout.baseline,
                candidate: rollout.candidate,
                share: currentShare({ record: rollout, spec: specOf(rollout) }),
              }
            : null,
        };
      }),
    );
    return { data };
  });

  /**
   * `GET /api/v1/agents/{id}/outcomes`: the outcome labels of the agent's conversations
   * that started in [from, to] (default: the last 7 days), per version, labelled now.
   */
  app.get("/api/v1/agents/:id/outcomes", async (request) => {
    const { id } = parseInput(agentParams, request.params, "params");
    const q = parseInput(outcomesQuery, request.query, "query");
    const now = opts.clock.now();
    const to = q.to ?? now;
    const from = q.from ?? to - DEFAULT_RANGE_MS;
    if (from >= to) {
      throw new MainstayError("MS_OUTCOMES_RANGE", "query.from: must be before to", 400);
    }
    const facts = await store.outcomes.factsForAgent(id, { from, to }, MAX_LABELLED + 1);
    if (facts.length > MAX_LABELLED) {
      throw new MainstayError(
        "MS_OUTCOMES_RANGE",
        `query: more than ${MAX_LABELLED} conversations in the range; ask for a shorter one`,
        400,
      );
    }
    return {
      agentId: id,
      from: iso(from),
      to: iso(to),
      labelledAt: iso(now),
      data: countOutcomes(facts, opts.outcomes, now),
    };
  });
}
