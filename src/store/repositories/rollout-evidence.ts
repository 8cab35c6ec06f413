import type { Executor, SqlValue } from "../database.ts";

/**
 * A rollout's evidence kept as counts, updated in the transaction of every turn and
 * feedback event, so a rollout check reads O(arms × shares × signals) rows however many
 * turns the rollout has. Two tables (migration 12):
 *
 * - `rollout_marks`: per rollout conversation (its outcome row: conversation and shadow)
 *   and signal, the first time it went bad; metric '' is the conversation's first answered
 *   turn. The primary key makes "first" race-free on both engines; `counted` waits for the
 *   first answered turn (feedback may come before it).
 * - `rollout_counters`: the sums a check needs (RolloutEvidence), one row per counter, arm
 *   and share, added to with a multi-row upsert.
 *
 * `rolloutFacts` (src/rollouts/signals.ts) recomputes the same evidence from the stored
 * rows, and rollout-evidence-rebuild.ts in SQL (migration 12's backfill);
 * test/rollouts/rollout-evidence.test.ts holds the three equal on both engines.
 */

export type Arm = "baseline" | "candidate";

/** Conversations of one arm assigned at one candidate share. */
export interface ArmShareCount {
  arm: Arm;
  share: number;
  conversations: number;
}

/** What a rollout check decides on: counts only, whatever the rollout's history. */
export interface RolloutEvidence {
  /** Conversations with at least one answered turn, per arm and share. */
  arms: ArmShareCount[];
  /** Per signal, the conversations it went bad in, per arm and share. */
  bad: Map<string, ArmShareCount[]>;
  /** Candidate conversations started since the current step began. */
  stepCandidates: number;
  candidateTurns: number;
  /** Total cost of the candidate's turns (summed in units of COST_UNIT, so exactly). */
  candidateCost: number;
  /** Candidate turns per latency bucket (latencyBucket). */
  candidateLatency: Map<number, number>;
}

/** Costs add up as integers of 1e-9, so the sum does not depend on the order of turns. */
export const COST_UNIT = 1e-9;
export const costUnits = (cost: number | null): number => Math.floor((cost ?? 0) / COST_UNIT + 0.5);

/**
 * Latency histogram buckets: one per millisecond below 128 ms, then 64 per power of two,
 * so a bucket is at most 1/64 (1.6%) of its values wide, and there are at most 640
 * buckets up to 32 s. The p95 a gate reads is its bucket's upper end: never below the
 * nearest-rank p95 of the turns, at most 1.6% above it.
 */
export function latencyBucket(latencyMs: number): number {
  const v = Math.round(latencyMs);
  if (v < 0) return 0;
  if (v < 128) return v;
  const e = 31 - Math.clz32(v);
  return 128 + (e - 7) * 64 + Math.floor((v - 2 ** e) / 2 ** (e - 6));
}

export function bucketUpperMs(bucket: number): number {
  if (bucket < 128) return bucket;
  const e = 7 + Math.floor((bucket - 128) / 64);
  const width = 2 ** (e - 6);
  return 2 ** e + ((bucket - 128) % 64) * width + width - 1;
}

/** The same bucket in SQL over an INTEGER column (integer division on both engines). */
export function latencyBucketSql(column: string): string {
  const octaves = Array.from({ length: 24 }, (_, k) => k + 7).map(
    (e) =>
      `WHEN ${column} < ${2 ** (e + 1)} THEN ${128 + (e - 7) * 64} + (${column} - ${2 ** e}) / ${2 ** (e - 6)}`,
  );
  return `CASE WHEN ${column} < 0 THEN 0 WHEN ${column} < 128 THEN ${column} ${octaves.join(" ")} END`;
}

/**
 * The signals a turn turns bad: `violationTypes` are its findings when the outbound policy
 * acted on them (the runtime's `violations`; VIOLATION_ACTIONS in conversations/).
 */
export function turnMetrics(
  turn: { handoff: string | null; error: string | null; fallback: boolean },
  violationTypes: readonly string[],
): string[] {
  const metrics: string[] = [];
  if (violationTypes.length > 0) {
    metrics.push("violation", ...new Set(violationTypes.map((type) => `violation:${type}`)));
  }
  if (turn.handoff) metrics.push("handoff");
  if (turn.error || turn.fallback) metrics.push("error");
  return metrics;
}

/** The signals a feedback or business event turns bad (feedback: the sent arm only). */
export function eventMetrics(event: { type: string; value: number | null }): string[] {
  const negative =
    (event.type === "csat" && event.value !== null && event.value <= 2) ||
    (event.type === "thumbs" && event.value === 0);
  return [...(negative ? ["negative_feedback"] : []), `event:${event.type}`];
}

/** A rollout conversation's outcome row, as the turn's UPDATE ... RETURNING gives it. */
export interface EvidenceUnit {
  conversation_id: string;
  rollout_id: string | null;
  arm: Arm | null;
  share: number | null;
  shadow: number;
  created_at: number;
  turns: number;
}

/** Counter increments gathered in one write, flushed as one upsert. */
class CounterBatch {
  private readonly rows = new Map<string, [string, Arm, number, number, number]>();

  add(counter: string, arm: Arm, share: number, n = 1, total = 0): void {
    const key = JSON.stringify([counter, arm, share]);
    const row = this.rows.get(key);
    if (row) {
      row[3] += n;
      row[4] += total;
    } else this.rows.set(key, [counter, arm, share, n, total]);
  }

  async flush(db: Executor, rolloutId: string): Promise<void> {
    if (this.rows.size === 0) return;
    // In key order: concurrent transactions on PostgreSQL lock shared counter rows in one
    // order, so they queue instead of deadlocking.
    const rows = [...this.rows].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, row]) => row);
    await db.run(
      `INSERT INTO rollout_counters (rollout_id, counter, arm, share, n, total)
       VALUES ${rows.map(() => "(?, ?, ?, ?, ?, ?)").join(", ")}
       ON CONFLICT (rollout_id, counter, arm, share) DO UPDATE SET
         n = rollout_counters.n + excluded.n, total = rollout_counters.total + excluded.total`,
      rows.flatMap((r) => [rolloutId, ...r]),
    );
  }
}

interface Mark {
  metric: string;
  at: number;
}

/** Insert marks not there yet; returns the metrics newly marked. */
async function insertMarks(
  db: Executor,
  unit: { rolloutId: string; conversationId: string; shadow: number; arm: Arm; share: number },
  marks: Mark[],
  counted: boolean,
): Promise<string[]> {
  if (marks.length === 0) return [];
  const rows = await db.all<{ metric: string }>(
    `INSERT INTO rollout_marks (rollout_id, conversation_id, shadow, metric, arm, share, at, counted)
     VALUES ${marks.map(() => "(?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}
     ON CONFLICT DO NOTHING RETURNING metric`,
    marks.flatMap((m): SqlValue[] => [
      unit.rolloutId,
      unit.conversationId,
      unit.shadow,
      m.metric,
      unit.arm,
      unit.share,
      m.at,
      counted ? 1 : 0,
    ]),
  );
  return rows.map((r) => r.metric);
}

/**
 * After a turn was folded into its outcome row (`unit`, the row after the update): the
 * conversation's first answered turn counts it (and the feedback marked before), and a
 * turn of the rollout marks its signals and adds the candidate's cost and latency.
 */
export async function evidenceOnTurn(
  db: Executor,
  unit: EvidenceUnit,
  turn: {
    rolloutId: string | null;
    latencyMs: number;
    cost: number | null;
    handoff: string | null;
    error: string | null;
    fallback: boolean;
    createdAt: number;
  },
  violationTypes: readonly string[],
): Promise<void> {
  const { rollout_id: rolloutId, arm } = unit;
  if (rolloutId === null || arm === null) return;
  const share = unit.share ?? 0.5;
  const key = { rolloutId, conversationId: unit.conversation_id, shadow: unit.shadow, arm, share };
  const counts = new CounterBatch();
  const marks: Mark[] = [];
  const first = Number(unit.turns) === 1;
  if (first) {
    marks.push({ metric: "", at: unit.created_at });
    const earlier = await db.all<{ metric: string }>(
      `UPDATE rollout_marks SET counted = 1
       WHERE rollout_id = ? AND conversation_id = ? AND shadow = ? AND counted = 0 RETURNING metric`,
      [rolloutId, unit.conversation_id, unit.shadow],
    );
    for (const m of earlier) counts.add(`bad:${m.metric}`, arm, share);
  }
  const ofRollout = turn.rolloutId === rolloutId;
  if (ofRollout) {
    for (const metric of turnMetrics(turn, violationTypes)) {
      marks.push({ metric, at: turn.createdAt });
    }
  }
  for (const metric of await insertMarks(db, key, marks, true)) {
    if (metric !== "") {
      counts.add(`bad:${metric}`, arm, share);
      continue;
    }
    counts.add("conversations", arm, share);
    if (arm === "candidate") {
      const rollout = await db.get<{ step_started_at: number }>(
        "SELECT step_started_at FROM rollouts WHERE id = ?",
        [rolloutId],
      );
      // Counted for the step it started in; a later step starts after it, so never needs it.
      if (rollout && unit.created_at >= Number(rollout.step_started_at)) {
        counts.add(`step:${rollout.step_started_at}`, "candidate", 0);
      }
    }
  }
  if (ofRollout && arm === "candidate") {
    counts.add("turns", "candidate", 0, 1, costUnits(turn.cost));
    counts.add(`latency:${latencyBucket(turn.latencyMs)}`, "candidate", 0);
  }
  await counts.flush(db, rolloutId);
}

/** After a feedback or business event on a conversation: marks on its rollouts' sent rows. */
export async function evidenceOnEvent(
  db: Executor,
  event: { conversationId: string | null; type: string; value: number | null; createdAt: number },
): Promise<void> {
  if (!event.conversationId) return;
  // Locks the rows on PostgreSQL, so a first turn committing meanwhile is seen (counted).
  const units = await db.all<EvidenceUnit>(
    `SELECT conversation_id, rollout_id, arm, share, shadow, created_at, turns
     FROM conversation_outcomes
     WHERE conversation_id = ? AND shadow = 0 AND rollout_id IS NOT NULL AND arm IS NOT NULL
     ${db.dialect === "postgres" ? "FOR UPDATE" : ""}`,
    [event.conversationId],
  );
  const marks = eventMetrics(event).map((metric) => ({ metric, at: event.createdAt }));
  await markSentUnits(db, units, marks);
}

/**
 * The rate signal of a judged conversation that scored below the quality threshold
 * (src/quality/): one more bad conversation for its arm.
 */
export const QUALITY_METRIC = "quality";

/** After a bad quality score of one conversation and version: a mark on its sent row. */
export async function evidenceOnQuality(
  db: Executor,
  score: { conversationId: string; agentVersion: string; judgedAt: number },
): Promise<void> {
  const units = await db.all<EvidenceUnit>(
    `SELECT conversation_id, rollout_id, arm, share, shadow, created_at, turns
     FROM conversation_outcomes
     WHERE conversation_id = ? AND agent_version = ? AND shadow = 0
       AND rollout_id IS NOT NULL AND arm IS NOT NULL
     ${db.dialect === "postgres" ? "FOR UPDATE" : ""}`,
    [score.conversationId, score.agentVersion],
  );
  await markSentUnits(db, units, [{ metric: QUALITY_METRIC, at: score.judgedAt }]);
}

/** Marks on sent outcome rows of rollouts, counted at once for rows already answered. */
async function markSentUnits(db: Executor, units: EvidenceUnit[], marks: Mark[]): Promise<void> {
  for (const unit of units) {
    const { rollout_id: rolloutId, arm } = unit as EvidenceUnit & { rollout_id: string; arm: Arm };
    const share = unit.share ?? 0.5;
    const live = Number(unit.turns) > 0;
    const key = { rolloutId, conversationId: unit.conversation_id, shadow: 0, arm, share };
    const marked = await insertMarks(db, key, marks, live);
    if (!live) continue;
    const counts = new CounterBatch();
    for (const metric of marked) counts.add(`bad:${metric}`, arm, share);
    await counts.flush(db, rolloutId);
  }
}

const byArmAndShare = (a: ArmShareCount, b: ArmShareCount) =>
  a.arm.localeCompare(b.arm) || a.share - b.share;

/** One rollout conversation and when each signal first went bad in it (for charts). */
export interface RolloutMark {
  conversationId: string;
  shadow: boolean;
  metric: string;
  arm: Arm;
  share: number;
  at: number;
}

export function rolloutEvidenceRepository(db: Executor) {
  return {
    /** The counts a check decides on, for the step that started at `stepStartedAt`. */
    async read(rolloutId: string, stepStartedAt: number): Promise<RolloutEvidence> {
      const rows = await db.all<{
        counter: string;
        arm: Arm;
        share: number;
        n: number;
        total: number;
      }>("SELECT counter, arm, share, n, total FROM rollout_counters WHERE rollout_id = ?", [
        rolloutId,
      ]);
      const evidence: RolloutEvidence = {
        arms: [],
        bad: new Map(),
        stepCandidates: 0,
        candidateTurns: 0,
        candidateCost: 0,
        candidateLatency: new Map(),
      };
      for (const row of rows) {
        const n = Number(row.n);
        if (n === 0) continue;
        const split = row.counter.indexOf(":");
        const kind = split < 0 ? row.counter : row.counter.slice(0, split);
        const name = row.counter.slice(split + 1);
        const count = { arm: row.arm, share: Number(row.share), conversations: n };
        if (kind === "conversations") evidence.arms.push(count);
        else if (kind === "bad") {
          const list = evidence.bad.get(name) ?? [];
          list.push(count);
          evidence.bad.set(name, list);
        } else if (kind === "step" && Number(name) === stepStartedAt) evidence.stepCandidates = n;
        else if (kind === "turns") {
          evidence.candidateTurns = n;
          evidence.candidateCost = Number(row.total) * COST_UNIT;
        } else if (kind === "latency") evidence.candidateLatency.set(Number(name), n);
      }
      evidence.arms.sort(byArmAndShare);
      for (const list of evidence.bad.values()) list.sort(byArmAndShare);
      return evidence;
    },

    /**
     * The marks of counted conversations, `limit` at a time after the last one returned
     * (charts replay them; each page is one short indexed read).
     */
    async marks(
      rolloutId: string,
      after: { conversationId: string; shadow: boolean; metric: string } | undefined,
      limit: number,
    ): Promise<RolloutMark[]> {
      const rows = await db.all<{
        conversation_id: string;
        shadow: number;
        metric: string;
        arm: Arm;
        share: number;
        at: number;
      }>(
        `SELECT conversation_id, shadow, metric, arm, share, at FROM rollout_marks
         WHERE rollout_id = ? AND counted = 1
           ${after ? "AND (conversation_id, shadow, metric) > (?, ?, ?)" : ""}
         ORDER BY conversation_id, shadow, metric LIMIT ?`,
        after
          ? [rolloutId, after.conversationId, after.shadow ? 1 : 0, after.metric, limit]
          : [rolloutId, limit],
      );
      return rows.map((r) => ({
        conversationId: r.conversation_id,
        shadow: Number(r.shadow) === 1,
        metric: r.metric,
        arm: r.arm,
        share: Number(r.share),
        at: Number(r.at),
      }));
    },
  };
}
