import type { Executor } from "../database.ts";

export type EvalRunKind = "eval" | "replay" | "redteam";

/** One evaluation of an agent version: its verdict, summary figures and per-case outcomes. */
export interface EvalRunRecord {
  id: string;
  kind: EvalRunKind;
  agentId: string;
  agentVersion: string;
  baselineVersion: string | null;
  /** The suite's name, or what was replayed or attacked. */
  name: string;
  passed: boolean;
  summary: Record<string, unknown>;
  cases: Record<string, unknown>[];
  startedAt: number;
  finishedAt: number;
}

interface EvalRunRow {
  id: string;
  kind: EvalRunKind;
  agent_id: string;
  agent_version: string;
  baseline_version: string | null;
  name: string;
  passed: number;
  summary: string;
  cases: string;
  started_at: number;
  finished_at: number;
}

const toRecord = (r: EvalRunRow): EvalRunRecord => ({
  id: r.id,
  kind: r.kind,
  agentId: r.agent_id,
  agentVersion: r.agent_version,
  baselineVersion: r.baseline_version,
  name: r.name,
  passed: r.passed === 1,
  summary: JSON.parse(r.summary) as Record<string, unknown>,
  cases: JSON.parse(r.cases) as Record<string, unknown>[],
  startedAt: Number(r.started_at),
  finishedAt: Number(r.finished_at),
});

/** Runs are written once, when they finish, and never changed. */
export function evalRunsRepository(db: Executor) {
  return {
    async insert(run: EvalRunRecord): Promise<void> {
      await db.run(
        `INSERT INTO eval_runs (id, kind, agent_id, agent_version, baseline_version, name, passed,
           summary, cases, started_at, finished_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          run.id,
          run.kind,
          run.agentId,
          run.agentVersion,
          run.baselineVersion,
          run.name,
          run.passed ? 1 : 0,
          JSON.stringify(run.summary),
          JSON.stringify(run.cases),
          run.startedAt,
          run.finishedAt,
        ],
      );
    },

    async get(id: string): Promise<EvalRunRecord | undefined> {
      const row = await db.get<EvalRunRow>("SELECT * FROM eval_runs WHERE id = ?", [id]);
      return row && toRecord(row);
    },

    /** A version's runs of one kind (every kind when omitted), newest first. */
    async list(
      agentId: string,
      agentVersion: string,
      options: { kind?: EvalRunKind; limit: number },
    ): Promise<EvalRunRecord[]> {
      const kind = options.kind ? "AND kind = ?" : "";
      const rows = await db.all<EvalRunRow>(
        `SELECT * FROM eval_runs WHERE agent_id = ? AND agent_version = ? ${kind}
         ORDER BY finished_at DESC, id DESC LIMIT ?`,
        options.kind
          ? [agentId, agentVersion, options.kind, options.limit]
          : [agentId, agentVersion, options.limit],
      );
      return rows.map(toRecord);
    },
  };
}

export type EvalRunsRepository = ReturnType<typeof evalRunsRepository>;
