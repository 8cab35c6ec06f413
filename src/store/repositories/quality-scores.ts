import type { Executor } from "../database.ts";
import { evidenceOnQuality } from "./rollout-evidence.ts";

/**
 * Live quality (src/quality/, migration 19): per conversation and serving version, what
 * the sampler decided once it was finished and, for a sampled one, the judge's scores.
 * `quality_progress` is where the sampler's walk over outcome rows stopped; `quality_spend`
 * counts judge calls and tokens per UTC day for the daily cap, shared by every instance.
 */

export type QualityStatus = "waiting" | "skipped" | "pending" | "judged" | "failed";
/** Why a conversation was sampled: every escalation and guardrail hit, a share of the rest. */
export type SampleReason = "escalation" | "guardrail" | "random";

/** An outcome row the sampler considers (sent rows only: a shadow reply was never seen). */
export interface QualityCandidate {
  conversationId: string;
  agentId: string;
  agentVersion: string;
  channelType: string;
  turns: number;
  violations: number;
  handoffReason: string | null;
  createdAt: number;
}

/** The sampler's decision on one candidate. */
export interface QualityDecision {
  candidate: QualityCandidate;
  status: "waiting" | "skipped" | "pending";
  reason: SampleReason | null;
  /** The outcome label it was decided under (src/conversations/outcome-labels.ts). */
  label: string | null;
}

/** A sampled conversation waiting for the judge. */
export interface PendingSample {
  conversationId: string;
  agentId: string;
  agentVersion: string;
  reason: SampleReason;
  attempts: number;
}

export interface QualityScore {
  conversationId: string;
  agentVersion: string;
  /** 0..1 per rubric criterion. */
  criteria: Record<string, number>;
  overall: number;
  explanation: string;
  judge: string;
  /** Below the configured threshold: a bad conversation for its rollout arm. */
  bad: boolean;
  inputTokens: number;
  outputTokens: number;
  judgedAt: number;
}

/** One judged conversation as the quality API reads it. */
export interface JudgedRow {
  agentVersion: string;
  reason: SampleReason;
  overall: number;
  criteria: Record<string, number>;
  bad: boolean;
}

export interface QualitySpend {
  calls: number;
  tokens: number;
}

export interface SamplerPosition {
  createdAt: number;
  conversationId: string;
}

interface CandidateRow {
  conversation_id: string;
  agent_id: string;
  agent_version: string;
  channel_type: string;
  turns: number;
  violations: number;
  handoff_reason: string | null;
  created_at: number | string;
}

const toCandidate = (r: CandidateRow): QualityCandidate => ({
  conversationId: r.conversation_id,
  agentId: r.agent_id,
  agentVersion: r.agent_version,
  channelType: r.channel_type,
  turns: Number(r.turns),
  violations: Number(r.violations),
  handoffReason: r.handoff_reason,
  createdAt: Number(r.created_at),
});

const CANDIDATE_COLUMNS = `o.conversation_id, o.agent_id, o.agent_version, o.channel_type,
  o.turns, o.violations, o.handoff_reason, o.created_at`;

export function qualityScoresRepository(db: Executor) {
  return {
    async position(): Promise<SamplerPosition | undefined> {
      const row = await db.get<{ created_at: number | string; conversation_id: string }>(
        "SELECT created_at, conversation_id FROM quality_progress WHERE id = 1",
      );
      return row && { createdAt: Number(row.created_at), conversationId: row.conversation_id };
    },

    async setPosition(at: SamplerPosition): Promise<void> {
      await db.run(
        `INSERT INTO quality_progress (id, created_at, conversation_id) VALUES (1, ?, ?)
         ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at,
           conversation_id = excluded.conversation_id`,
        [at.createdAt, at.conversationId],
      );
    },

    /** Sent outcome rows after `after`, created before `until`, oldest first. */
    async candidatesAfter(
      after: SamplerPosition | undefined,
      until: number,
      limit: number,
    ): Promise<QualityCandidate[]> {
      const from = after ?? { createdAt: -1, conversationId: "" };
      const rows = await db.all<CandidateRow>(
        `SELECT ${CANDIDATE_COLUMNS} FROM conversation_outcomes o
         WHERE (o.created_at, o.conversation_id) > (?, ?) AND o.created_at < ? AND o.shadow = 0
         ORDER BY o.created_at, o.conversation_id LIMIT ?`,
        [from.createdAt, from.conversationId, until, limit],
      );
      return rows.map(toCandidate);
    },

    /**
     * Waiting rows whose conversation may have finished since: no longer with the bot, or
     * quiet since `quietBefore`. As many as conversations are open, never the history.
     */
    async waitingDue(quietBefore: number, limit: number): Promise<QualityCandidate[]> {
      const rows = await db.all<CandidateRow>(
        `SELECT ${CANDIDATE_COLUMNS} FROM quality_scores q
         JOIN conversation_outcomes o
           ON o.conversation_id = q.conversation_id AND o.agent_version = q.agent_version
         JOIN conversations c ON c.id = q.conversation_id
         WHERE q.status = 'waiting' AND (c.state <> 'bot' OR c.last_message_at < ?)
         ORDER BY q.created_at, q.conversation_id LIMIT ?`,
        [quietBefore, limit],
      );
      return rows.map(toCandidate);
    },

    /** Stores decisions; a row already decided other than `waiting` keeps its decision. */
    async decide(decisions: readonly QualityDecision[], now: number): Promise<void> {
      for (const d of decisions) {
        const c = d.candidate;
        await db.run(
          `INSERT INTO quality_scores (conversation_id, agent_version, agent_id, channel_type,
             status, reason, label, created_at, decided_at, attempts)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
           ON CONFLICT (conversation_id, agent_version) DO UPDATE SET status = excluded.status,
             reason = excluded.reason, label = excluded.label, decided_at = excluded.decided_at
           WHERE quality_scores.status = 'waiting'`,
          [
            c.conversationId,
            c.agentVersion,
            c.agentId,
            c.channelType,
            d.status,
            d.reason,
            d.label,
            c.createdAt,
            d.status === "waiting" ? null : now,
          ],
        );
      }
    },

    /** Sampled conversations not judged yet, oldest first. */
    async pending(limit: number): Promise<PendingSample[]> {
      const rows = await db.all<{
        conversation_id: string;
        agent_id: string;
        agent_version: string;
        reason: SampleReason;
        attempts: number;
      }>(
        `SELECT conversation_id, agent_id, agent_version, reason, attempts FROM quality_scores
         WHERE status = 'pending' ORDER BY created_at, conversation_id LIMIT ?`,
        [limit],
      );
      return rows.map((r) => ({
        conversationId: r.conversation_id,
        agentId: r.agent_id,
        agentVersion: r.agent_version,
        reason: r.reason,
        attempts: Number(r.attempts),
      }));
    },

    /**
     * Stores a score and its tokens on the day's spend; a bad one adds to its rollout's
     * evidence in the same transaction (call it inside one).
     */
    async recordScore(score: QualityScore, day: number): Promise<void> {
      const changed = await db.run(
        `UPDATE quality_scores SET status = 'judged', overall = ?, criteria = ?, explanation = ?,
           judge = ?, bad = ?, input_tokens = ?, output_tokens = ?, judged_at = ?,
           attempts = attempts + 1, last_error = NULL
         WHERE conversation_id = ? AND agent_version = ? AND status = 'pending'`,
        [
          score.overall,
          JSON.stringify(score.criteria),
          score.explanation,
          score.judge,
          score.bad ? 1 : 0,
          score.inputTokens,
          score.outputTokens,
          score.judgedAt,
          score.conversationId,
          score.agentVersion,
        ],
      );
      await db.run("UPDATE quality_spend SET tokens = tokens + ? WHERE day = ?", [
        score.inputTokens + score.outputTokens,
        day,
      ]);
      if (changed.changes > 0 && score.bad) await evidenceOnQuality(db, score);
    },

    /** A failed judge call: tried again on a later pass, until `maxAttempts`. */
    async recordFailure(
      sample: { conversationId: string; agentVersion: string },
      error: string,
      maxAttempts: number,
    ): Promise<void> {
      await db.run(
        `UPDATE quality_scores SET attempts = attempts + 1, last_error = ?,
           status = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE status END
         WHERE conversation_id = ? AND agent_version = ? AND status = 'pending'`,
        [error.slice(0, 500), maxAttempts, sample.conversationId, sample.agentVersion],
      );
    },

    /**
     * Takes one judge call of `day`'s allowance, or returns false when the day's calls or
     * tokens are used up. One conditional UPDATE, so instances never exceed it together.
     */
    async reserveCall(day: number, cap: { calls: number; tokens?: number }): Promise<boolean> {
      await db.run(
        "INSERT INTO quality_spend (day, calls, tokens) VALUES (?, 0, 0) ON CONFLICT (day) DO NOTHING",
        [day],
      );
      const result = await db.run(
        "UPDATE quality_spend SET calls = calls + 1 WHERE day = ? AND calls < ? AND tokens < ?",
        [day, cap.calls, cap.tokens ?? Number.MAX_SAFE_INTEGER],
      );
      return result.changes > 0;
    },

    async spendOn(day: number): Promise<QualitySpend> {
      const row = await db.get<{ calls: number; tokens: number }>(
        "SELECT calls, tokens FROM quality_spend WHERE day = ?",
        [day],
      );
      return { calls: Number(row?.calls ?? 0), tokens: Number(row?.tokens ?? 0) };
    },

    /** The agent's conversations judged in [from, to], at most `limit` of them. */
    async judgedForAgent(
      agentId: string,
      range: { from: number; to: number },
      limit: number,
    ): Promise<JudgedRow[]> {
      const rows = await db.all<{
        agent_version: string;
        reason: SampleReason;
        overall: number;
        criteria: string;
        bad: number;
      }>(
        `SELECT agent_version, reason, overall, criteria, bad FROM quality_scores
         WHERE agent_id = ? AND judged_at >= ? AND judged_at <= ? AND status = 'judged'
         ORDER BY judged_at, conversation_id LIMIT ?`,
        [agentId, range.from, range.to, limit],
      );
      return rows.map((r) => ({
        agentVersion: r.agent_version,
        reason: r.reason,
        overall: Number(r.overall),
        criteria: JSON.parse(r.criteria) as Record<string, number>,
        bad: Number(r.bad) === 1,
      }));
    },

    /** Sampled conversations of the agent still waiting for the judge, per version. */
    async pendingForAgent(agentId: string): Promise<Map<string, number>> {
      const rows = await db.all<{ agent_version: string; n: number }>(
        `SELECT agent_version, COUNT(*) AS n FROM quality_scores
         WHERE status = 'pending' AND agent_id = ? GROUP BY agent_version`,
        [agentId],
      );
      return new Map(rows.map((r) => [r.agent_version, Number(r.n)]));
    },

    /** Bad scores of a rollout's sent rows (the evidence recomputed, in tests). */
    async badForRollout(
      rolloutId: string,
    ): Promise<{ conversationId: string; judgedAt: number }[]> {
      const rows = await db.all<{ conversation_id: string; judged_at: number | string }>(
        `SELECT q.conversation_id, q.judged_at FROM quality_scores q
         JOIN conversation_outcomes o
           ON o.conversation_id = q.conversation_id AND o.agent_version = q.agent_version
         WHERE o.rollout_id = ? AND o.shadow = 0 AND q.status = 'judged' AND q.bad = 1
         ORDER BY q.judged_at, q.conversation_id`,
        [rolloutId],
      );
      return rows.map((r) => ({
        conversationId: r.conversation_id,
        judgedAt: Number(r.judged_at),
      }));
    },
  };
}

export type QualityScoresRepository = ReturnType<typeof qualityScoresRepository>;
