import type { Executor } from "../database.ts";
import { SqlFilter } from "../sql-filter.ts";

export type RolloutState = "running" | "paused" | "completed" | "rolled_back" | "aborted";

/** A rollout of a candidate agent version against the baseline; `spec` is its JSON. */
export interface RolloutRecord {
  id: string;
  agentId: string;
  baseline: string;
  candidate: string;
  spec: string;
  state: RolloutState;
  /** Index into the spec's steps. */
  step: number;
  stepStartedAt: number;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  endedAt: number | null;
}

export interface RolloutDecisionRecord {
  seq: number;
  rolloutId: string;
  step: number;
  action: string;
  reason: string;
  evidence: Record<string, unknown>;
  actor: string;
  createdAt: number;
}

interface RolloutRow {
  id: string;
  agent_id: string;
  baseline: string;
  candidate: string;
  spec: string;
  state: RolloutState;
  step: number;
  step_started_at: number;
  created_by: string;
  created_at: number;
  updated_at: number;
  ended_at: number | null;
}

interface DecisionRow {
  seq: number;
  rollout_id: string;
  step: number;
  action: string;
  reason: string;
  evidence: string;
  actor: string;
  created_at: number;
}

const toRecord = (r: RolloutRow): RolloutRecord => ({
  id: r.id,
  agentId: r.agent_id,
  baseline: r.baseline,
  candidate: r.candidate,
  spec: r.spec,
  state: r.state,
  step: Number(r.step),
  stepStartedAt: r.step_started_at,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  endedAt: r.ended_at,
});

const LIVE = "('running', 'paused')";

/** Rollouts and the decisions taken on them (append only). */
export function rolloutsRepository(db: Executor) {
  const get = async (id: string) => {
    const row = await db.get<RolloutRow>("SELECT * FROM rollouts WHERE id = ?", [id]);
    return row && toRecord(row);
  };
  return {
    get,

    async insert(record: RolloutRecord): Promise<void> {
      await db.run(
        `INSERT INTO rollouts (id, agent_id, baseline, candidate, spec, state, step,
           step_started_at, created_by, created_at, updated_at, ended_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          record.id,
          record.agentId,
          record.baseline,
          record.candidate,
          record.spec,
          record.state,
          record.step,
          record.stepStartedAt,
          record.createdBy,
          record.createdAt,
          record.updatedAt,
          record.endedAt,
        ],
      );
    },

    /** The running or paused rollout of an agent (at most one exists). */
    async liveFor(agentId: string): Promise<RolloutRecord | undefined> {
      const row = await db.get<RolloutRow>(
        `SELECT * FROM rollouts WHERE agent_id = ? AND state IN ${LIVE}`,
        [agentId],
      );
      return row && toRecord(row);
    },

    async live(): Promise<RolloutRecord[]> {
      const rows = await db.all<RolloutRow>(
        `SELECT * FROM rollouts WHERE state IN ${LIVE} ORDER BY created_at`,
      );
      return rows.map(toRecord);
    },

    async list(filter: { agentId?: string; limit?: number } = {}): Promise<RolloutRecord[]> {
      // Conditions only for the filters given: PostgreSQL cannot type a bare `? IS NULL`.
      const where = new SqlFilter().addIf("agent_id = ?", filter.agentId);
      const rows = await db.all<RolloutRow>(
        `SELECT * FROM rollouts ${where.where} ORDER BY created_at DESC, id DESC LIMIT ?`,
        [...where.params, filter.limit ?? 100],
      );
      return rows.map(toRecord);
    },

    /**
     * Moves a rollout only if it is still where the caller saw it (`from`), so two
     * instances evaluating at once take a decision once. Returns whether it moved.
     */
    async transition(
      id: string,
      from: { state: RolloutState; step: number },
      to: { state: RolloutState; step: number },
      now: number,
    ): Promise<boolean> {
      const ended = to.state === "running" || to.state === "paused" ? null : now;
      const { changes } = await db.run(
        `UPDATE rollouts SET state = ?, step = ?, updated_at = ?, ended_at = ?,
           step_started_at = CASE WHEN step = ? THEN step_started_at ELSE ? END
         WHERE id = ? AND state = ? AND step = ?`,
        [to.state, to.step, now, ended, to.step, now, id, from.state, from.step],
      );
      return changes === 1;
    },

    /**
     * Moves the rollout's open candidate conversations to the baseline version and starts
     * their baseline outcome rows (outside the rollout); returns their ids.
     */
    async returnToBaseline(rollout: RolloutRecord, now: number): Promise<string[]> {
      const rows = await db.all<{ id: string; channel_type: string }>(
        `SELECT c.id, c.channel_type FROM conversations c
         JOIN conversation_outcomes o ON o.conversation_id = c.id
           AND o.agent_version = c.agent_version
         WHERE o.rollout_id = ? AND o.arm = 'candidate' AND o.shadow = 0
           AND c.agent_id = ? AND c.agent_version = ? AND c.state <> 'closed'`,
        [rollout.id, rollout.agentId, rollout.candidate],
      );
      for (const row of rows) {
        await db.run("UPDATE conversations SET agent_version = ?, updated_at = ? WHERE id = ?", [
          rollout.baseline,
          now,
          row.id,
        ]);
        await db.run(
          `INSERT INTO conversation_outcomes (conversation_id, agent_id, agent_version, shadow,
             rollout_id, arm, share, channel_type, turns, violations, violation_types,
             errors, fallbacks, cost, repeat_contact, created_at, updated_at)
           VALUES (?, ?, ?, 0, NULL, NULL, NULL, ?, 0, 0, '[]', 0, 0, 0, 0, ?, ?)
           ON CONFLICT DO NOTHING`,
          [row.id, rollout.agentId, rollout.baseline, row.channel_type, now, now],
        );
      }
      return rows.map((r) => r.id);
    },

    async addDecision(decision: Omit<RolloutDecisionRecord, "seq">): Promise<void> {
      await db.run(
        `INSERT INTO rollout_decisions (rollout_id, step, action, reason, evidence, actor, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [
          decision.rolloutId,
          decision.step,
          decision.action,
          decision.reason,
          JSON.stringify(decision.evidence),
          decision.actor,
          decision.createdAt,
        ],
      );
    },

    async decisions(rolloutId: string, limit = 200): Promise<RolloutDecisionRecord[]> {
      const rows = await db.all<DecisionRow>(
        "SELECT * FROM rollout_decisions WHERE rollout_id = ? ORDER BY seq DESC LIMIT ?",
        [rolloutId, limit],
      );
      return rows.reverse().map((r) => ({
        seq: Number(r.seq),
        rolloutId: r.rollout_id,
        step: Number(r.step),
        action: r.action,
        reason: r.reason,
        evidence: JSON.parse(r.evidence) as Record<string, unknown>,
        actor: r.actor,
        createdAt: r.created_at,
      }));
    },
  };
}

export type RolloutsRepository = ReturnType<typeof rolloutsRepository>;
