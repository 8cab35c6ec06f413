import type { Executor } from "../database.ts";

/** One stored agent version: the validated document as canonical JSON, and the YAML pushed. */
export interface AgentVersionRecord {
  agentId: string;
  version: string;
  document: string;
  source: string;
  createdAt: number;
}

export interface ActiveAgentVersion {
  agentId: string;
  version: string;
  updatedAt: number;
}

interface AgentVersionRow {
  agent_id: string;
  version: string;
  document: string;
  source: string;
  created_at: number;
}

const toRecord = (r: AgentVersionRow): AgentVersionRecord => ({
  agentId: r.agent_id,
  version: r.version,
  document: r.document,
  source: r.source,
  createdAt: r.created_at,
});

/** Agent versions are written once and never changed; `agent_active` says which one is live. */
export function agentVersionsRepository(db: Executor) {
  const get = async (agentId: string, version: string) => {
    const row = await db.get<AgentVersionRow>(
      "SELECT * FROM agent_versions WHERE agent_id = ? AND version = ?",
      [agentId, version],
    );
    return row && toRecord(row);
  };

  return {
    get,

    /** Stores the version unless it exists; returns the stored row and whether it is new. */
    async push(
      input: Omit<AgentVersionRecord, "createdAt">,
      now: number,
    ): Promise<{ record: AgentVersionRecord; created: boolean }> {
      const { changes } = await db.run(
        `INSERT INTO agent_versions (agent_id, version, document, source, created_at)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        [input.agentId, input.version, input.document, input.source, now],
      );
      if (changes === 1) return { record: { ...input, createdAt: now }, created: true };
      return { record: (await get(input.agentId, input.version))!, created: false };
    },

    /** Every agent with stored versions, by id, with how many it has. */
    async agents(): Promise<{ agentId: string; versions: number }[]> {
      const rows = await db.all<{ agent_id: string; n: number }>(
        "SELECT agent_id, COUNT(*) AS n FROM agent_versions GROUP BY agent_id ORDER BY agent_id",
      );
      return rows.map((r) => ({ agentId: r.agent_id, versions: Number(r.n) }));
    },

    /** An agent's versions, newest first. */
    async list(agentId: string): Promise<AgentVersionRecord[]> {
      const rows = await db.all<AgentVersionRow>(
        "SELECT * FROM agent_versions WHERE agent_id = ? ORDER BY created_at DESC, version DESC",
        [agentId],
      );
      return rows.map(toRecord);
    },

    async active(agentId: string): Promise<ActiveAgentVersion | undefined> {
      const row = await db.get<{ agent_id: string; version: string; updated_at: number }>(
        "SELECT * FROM agent_active WHERE agent_id = ?",
        [agentId],
      );
      return row && { agentId: row.agent_id, version: row.version, updatedAt: row.updated_at };
    },

    /** Makes `version` (which must exist) the one new conversations use. */
    async activate(agentId: string, version: string, now: number): Promise<ActiveAgentVersion> {
      await db.run(
        `INSERT INTO agent_active (agent_id, version, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (agent_id) DO UPDATE SET version = excluded.version,
           updated_at = excluded.updated_at`,
        [agentId, version, now],
      );
      return { agentId, version, updatedAt: now };
    },
  };
}

export type AgentVersionsRepository = ReturnType<typeof agentVersionsRepository>;
