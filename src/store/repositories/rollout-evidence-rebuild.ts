import type { Dialect, Executor, SqlValue } from "../database.ts";
import { COST_UNIT, latencyBucketSql } from "./rollout-evidence.ts";

/**
 * A rollout's marks and counters recomputed from its stored rows by set-based SQL, under
 * the write path's rules (rollout-evidence.ts): migration 12 backfills rollouts stored
 * before it, tests hold the result equal to the counts kept turn by turn.
 *
 * The work goes EVIDENCE_CHUNK conversations at a time in id order (`conversation_outcomes_rollout_
 * conversation`), each chunk driven from the rollout's outcome rows into their turns and
 * events by conversation, so a chunk costs the same at any rollout size and a migration
 * holds SQLite's only connection a few milliseconds per transaction.
 */

/** Conversations per chunk (at most two outcome rows each: sent and shadow). */
export const EVIDENCE_CHUNK = 200;

/**
 * The reply actions counted as violations when migration 12 was written (the rows it
 * backfills); the write path is told by the runtime instead (`violationTypes`).
 */
const VIOLATION_ACTIONS_SQL = "'block', 'redact', 'escalate', 'fallback'";

const MARK_COLUMNS = `INSERT INTO rollout_marks
  (rollout_id, conversation_id, shadow, metric, arm, share, at, counted)`;
const COUNTER_COLUMNS = "INSERT INTO rollout_counters (rollout_id, counter, arm, share, n, total)";
const ADD_TO_COUNTER = `ON CONFLICT (rollout_id, counter, arm, share) DO UPDATE SET
  n = rollout_counters.n + excluded.n, total = rollout_counters.total + excluded.total`;

/** Rows of the chunk: conversation ids in (after, until], or past `after` (until null). */
interface Range {
  sql: string;
  params: SqlValue[];
}

/** The chunk as a condition on a table's `rollout_id` and `conversation_id`, after `alias`. */
function rangeOf(alias: string, rolloutId: string, after: string, until: string | null): Range {
  const sql = `${alias}rollout_id = ? AND ${alias}conversation_id > ?`;
  return until === null
    ? { sql, params: [rolloutId, after] }
    : { sql: `${sql} AND ${alias}conversation_id <= ?`, params: [rolloutId, after, until] };
}

/**
 * Turns of the chunk's answered outcome rows. `CROSS JOIN` keeps SQLite's loop on the
 * outcome rows; the COALESCE keeps both engines from reading the turns by rollout
 * (`agent_turns_rollout`, every turn of it) instead of by conversation.
 */
const turnsOf = (o: Range, joins = "") => ({
  sql: `conversation_outcomes o CROSS JOIN agent_turns t ${joins}
    WHERE ${o.sql} AND o.arm IS NOT NULL AND o.turns > 0
      AND t.conversation_id = o.conversation_id AND t.shadow = o.shadow
      AND COALESCE(t.rollout_id, '') = o.rollout_id`,
  params: o.params,
});

function findingsJoin(dialect: Dialect): string {
  return dialect === "sqlite"
    ? ", json_each(t.findings) f"
    : "CROSS JOIN LATERAL jsonb_array_elements_text(t.findings::jsonb) AS f(value)";
}

/** The first time each turn signal went bad in the chunk's conversations. */
async function turnMarks(db: Executor, o: Range): Promise<void> {
  // `by`: what the metric's name varies with (PostgreSQL refuses a constant in GROUP BY).
  const signals: { metric: string; where: string; joins?: string; by?: string }[] = [
    {
      metric: "'violation'",
      where: `t.action IN (${VIOLATION_ACTIONS_SQL}) AND t.findings <> '[]'`,
    },
    {
      metric: "'violation:' || f.value",
      where: `t.action IN (${VIOLATION_ACTIONS_SQL})`,
      joins: findingsJoin(db.dialect),
      by: ", f.value",
    },
    { metric: "'handoff'", where: "t.handoff IS NOT NULL AND t.handoff <> ''" },
    {
      metric: "'error'",
      where: "((t.error IS NOT NULL AND t.error <> '') OR t.fallback = 1)",
    },
  ];
  for (const { metric, where, joins, by = "" } of signals) {
    const turns = turnsOf(o, joins);
    await db.run(
      `${MARK_COLUMNS} SELECT o.rollout_id, o.conversation_id, o.shadow, ${metric}, o.arm,
         COALESCE(o.share, 0.5), MIN(t.created_at), 1
       FROM ${turns.sql} AND ${where}
       GROUP BY o.rollout_id, o.conversation_id, o.shadow, o.arm, o.share${by}`,
      turns.params,
    );
  }
}

/** Feedback and business events on the chunk's sent rows (counted once answered). */
async function eventMarks(db: Executor, o: Range): Promise<void> {
  const signals = [
    { metric: "'event:' || e.type", where: "", by: ", e.type" },
    {
      by: "",
      metric: "'negative_feedback'",
      where: "AND ((e.type = 'csat' AND e.value <= 2) OR (e.type = 'thumbs' AND e.value = 0))",
    },
  ];
  for (const { metric, where, by } of signals) {
    await db.run(
      `${MARK_COLUMNS} SELECT o.rollout_id, o.conversation_id, 0, ${metric}, o.arm,
         COALESCE(o.share, 0.5), MIN(e.created_at), CASE WHEN o.turns > 0 THEN 1 ELSE 0 END
       FROM conversation_outcomes o CROSS JOIN outcome_events e
       WHERE ${o.sql} AND o.shadow = 0 AND o.arm IS NOT NULL
         AND e.conversation_id = o.conversation_id ${where}
       GROUP BY o.rollout_id, o.conversation_id, o.arm, o.share, o.turns${by}`,
      o.params,
    );
  }
}

/** The chunk's marks and turns added to the rollout's counters. */
async function addCounters(db: Executor, o: Range, marks: Range): Promise<void> {
  await db.run(
    `${COUNTER_COLUMNS} SELECT rollout_id,
       CASE WHEN metric = '' THEN 'conversations' ELSE 'bad:' || metric END, arm, share,
       COUNT(*), 0
     FROM rollout_marks m WHERE ${marks.sql} AND counted = 1
     GROUP BY rollout_id, metric, arm, share ${ADD_TO_COUNTER}`,
    marks.params,
  );
  // Only the current step's count is ever read (a later step starts after it).
  await db.run(
    `${COUNTER_COLUMNS} SELECT m.rollout_id, 'step:' || r.step_started_at, 'candidate', 0,
       COUNT(*), 0
     FROM rollout_marks m JOIN rollouts r ON r.id = m.rollout_id
     WHERE ${marks.sql} AND m.metric = '' AND m.arm = 'candidate'
       AND m.at >= r.step_started_at
     GROUP BY m.rollout_id, r.step_started_at ${ADD_TO_COUNTER}`,
    marks.params,
  );
  const turns = turnsOf(o);
  await db.run(
    `${COUNTER_COLUMNS} SELECT o.rollout_id, 'turns', 'candidate', 0, COUNT(*),
       SUM(FLOOR(COALESCE(t.cost, 0) / CAST(${COST_UNIT} AS DOUBLE PRECISION) + 0.5))
     FROM ${turns.sql} AND o.arm = 'candidate' GROUP BY o.rollout_id ${ADD_TO_COUNTER}`,
    turns.params,
  );
  const bucket = latencyBucketSql("t.latency_ms");
  await db.run(
    `${COUNTER_COLUMNS} SELECT o.rollout_id, 'latency:' || ${bucket}, 'candidate', 0,
       COUNT(*), 0
     FROM ${turns.sql} AND o.arm = 'candidate' GROUP BY o.rollout_id, ${bucket}
     ${ADD_TO_COUNTER}`,
    turns.params,
  );
}

/**
 * Recompute the evidence of the rollout's conversations after `after` (by id; "" starts
 * the rollout afresh and clears its counters), `chunk` of them. Returns the last
 * conversation done, or null when the rollout is done.
 */
export async function rebuildEvidenceChunk(
  db: Executor,
  rolloutId: string,
  after: string,
  chunk = EVIDENCE_CHUNK,
): Promise<string | null> {
  if (after === "") {
    await db.run("DELETE FROM rollout_counters WHERE rollout_id = ?", [rolloutId]);
  }
  const last = await db.get<{ conversation_id: string }>(
    `SELECT conversation_id FROM conversation_outcomes WHERE rollout_id = ? AND conversation_id > ?
     ORDER BY conversation_id LIMIT 1 OFFSET ${chunk - 1}`,
    [rolloutId, after],
  );
  const until = last?.conversation_id ?? null;
  const kept = rangeOf("", rolloutId, after, until);
  await db.run(`DELETE FROM rollout_marks WHERE ${kept.sql}`, kept.params);
  const o = rangeOf("o.", rolloutId, after, until);
  await db.run(
    `${MARK_COLUMNS} SELECT rollout_id, conversation_id, shadow, '', arm, COALESCE(share, 0.5),
       created_at, 1
     FROM conversation_outcomes o WHERE ${o.sql} AND arm IS NOT NULL AND turns > 0`,
    o.params,
  );
  await turnMarks(db, o);
  await eventMarks(db, o);
  await addCounters(db, o, rangeOf("m.", rolloutId, after, until));
  return until;
}

/** The whole rollout, chunk after chunk on `db` (tests). */
export async function rebuildRolloutEvidence(
  db: Executor,
  rolloutId: string,
  chunk = EVIDENCE_CHUNK,
): Promise<void> {
  for (let after: string | null = ""; after !== null; ) {
    after = await rebuildEvidenceChunk(db, rolloutId, after, chunk);
  }
}
