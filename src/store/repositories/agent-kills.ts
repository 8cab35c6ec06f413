import type { Executor } from "../database.ts";

/** Where a killed agent's conversations go instead. */
export type KillFallback =
  | { type: "version"; version: string }
  | { type: "canned"; text: string }
  | { type: "human" };

export interface AgentKill {
  agentId: string;
  fallback: KillFallback;
  reason: string;
  actor: string;
  killedAt: number;
}

interface KillRow {
  agent_id: string;
  fallback: string;
  reason: string;
  actor: string;
  killed_at: number;
}

/** The kill switch's state: a row per killed agent, removed when it is brought back. */
export function agentKillsRepository(db: Executor) {
  return {
    async all(): Promise<AgentKill[]> {
      const rows = await db.all<KillRow>("SELECT * FROM agent_kills ORDER BY agent_id");
      return rows.map((r) => ({
        agentId: r.agent_id,
        fallback: JSON.parse(r.fallback) as KillFallback,
        reason: r.reason,
        actor: r.actor,
        killedAt: r.killed_at,
      }));
    },

    async kill(kill: AgentKill): Promise<void> {
      await db.run(
        `INSERT INTO agent_kills (agent_id, fallback, reason, actor, killed_at)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (agent_id) DO UPDATE SET fallback = excluded.fallback,
           reason = excluded.reason, actor = excluded.actor, killed_at = excluded.killed_at`,
        [kill.agentId, JSON.stringify(kill.fallback), kill.reason, kill.actor, kill.killedAt],
      );
    },

    /** Returns whether the agent was killed. */
    async unkill(agentId: string): Promise<boolean> {
      const { changes } = await db.run("DELETE FROM agent_kills WHERE agent_id = ?", [agentId]);
      return changes === 1;
    },
  };
}

export type AgentKillsRepository = ReturnType<typeof agentKillsRepository>;
