import type { FastifyInstance } from "fastify";
import { currentShare, specOf } from "../../rollouts/index.ts";
import type { Store } from "../../store/index.ts";
import { iso } from "../views.ts";

/**
 * `GET /api/v1/agents`: every agent this server knows, with its active version, whether it
 * is killed, and the rollout that splits its traffic. The agent the configuration runs is
 * listed even when it has no stored versions (the built-in agent from mainstay.yaml).
 */
export async function agentsOverviewRoutes(
  app: FastifyInstance,
  opts: { store: Store; currentAgent: () => Promise<{ id: string; version: string }> },
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
}
