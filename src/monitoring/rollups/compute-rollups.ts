import { VIOLATION_ACTIONS } from "../../conversations/index.ts";
import type { Executor, MetricRollup, SqlValue } from "../../store/index.ts";
import { LATENCY_BOUNDS_MS, latencyBucket } from "./metric-catalogue.ts";

export const MINUTE_MS = 60_000;

/** Conversation events (documented in docs/api.md#event-types) counted per stored metric. */
const EVENT_METRICS: Record<string, string> = {
  "message.received": "messages_in",
  "message.queued": "messages_out",
  "message.sent": "messages_sent",
  "message.delivered": "messages_delivered",
  "message.failed": "messages_failed",
  "message.refused": "messages_failed",
  "conversation.started": "conversations",
  "conversation.handoff": "handoffs",
};

interface Group {
  minute: number;
  channel: string;
  agent_id: string;
  agent_version: string;
}

/** Collects rows, adding up what lands on the same (metric, minute, group). */
class RollupRows {
  private readonly rows = new Map<string, MetricRollup>();

  add(metric: string, g: Group, count: number | string, sum: number | string = 0): void {
    const n = Number(count);
    if (n === 0) return;
    const key = JSON.stringify([metric, g.minute, g.agent_id, g.agent_version, g.channel]);
    const row = this.rows.get(key);
    if (row) {
      row.count += n;
      row.sum += Number(sum);
      return;
    }
    this.rows.set(key, {
      metric,
      minute: Number(g.minute),
      agentId: g.agent_id,
      agentVersion: g.agent_version,
      channel: g.channel,
      count: n,
      sum: Number(sum),
    });
  }

  list(): MetricRollup[] {
    return [...this.rows.values()];
  }
}

const MINUTE_OF = (column: string) => `(${column} / ${MINUTE_MS}) * ${MINUTE_MS}`;

/**
 * The rollup rows of minutes [from, to), computed from what the pipeline recorded:
 * conversation events (messages, conversations, handoffs), agent turns, CSAT answers and
 * live-quality scores (in the minute they were judged).
 * Messages and events count under their conversation's agent version; a turn under the
 * version that produced it; the channel is the conversation's channel id.
 */
export async function computeRollups(
  db: Executor,
  from: number,
  to: number,
): Promise<MetricRollup[]> {
  const rows = new RollupRows();
  await addEventCounts(db, from, to, rows);
  await addTurnFigures(db, from, to, rows);
  await addCsat(db, from, to, rows);
  await addQualityScores(db, from, to, rows);
  return rows.list();
}

interface ConversationGroup {
  channel_id: string;
  agent_id: string | null;
  agent_version: string | null;
}

const ID_CHUNK = 500;

/**
 * The channel and agent version of each conversation, read by primary key in chunks. The
 * window's rows are grouped per conversation first and joined here, so a pass reads what
 * the window holds and never a scan of every conversation (a join lets PostgreSQL choose
 * one once a window has a thousand rows).
 */
async function conversationsOf(
  db: Executor,
  ids: Iterable<string>,
): Promise<Map<string, ConversationGroup>> {
  const unique = [...new Set(ids)];
  const found = new Map<string, ConversationGroup>();
  for (let i = 0; i < unique.length; i += ID_CHUNK) {
    const chunk = unique.slice(i, i + ID_CHUNK);
    const rows = await db.all<ConversationGroup & { id: string }>(
      `SELECT id, channel_id, agent_id, agent_version FROM conversations
       WHERE id IN (${chunk.map(() => "?").join(", ")})`,
      chunk,
    );
    for (const row of rows) found.set(row.id, row);
  }
  return found;
}

/** The group a row of a conversation counts in; the row's own agent version wins. */
function groupOf(
  minute: number,
  conversation: ConversationGroup | undefined,
  agent?: { agent_id: string | null; agent_version: string | null },
): Group {
  return {
    minute,
    channel: conversation?.channel_id ?? "",
    agent_id: agent?.agent_id ?? conversation?.agent_id ?? "",
    agent_version: agent?.agent_version ?? conversation?.agent_version ?? "",
  };
}

async function addEventCounts(db: Executor, from: number, to: number, rows: RollupRows) {
  const types = Object.keys(EVENT_METRICS);
  const found = await db.all<{ minute: number; type: string; conversation_id: string; n: number }>(
    `SELECT ${MINUTE_OF("created_at")} AS minute, type, conversation_id, COUNT(*) AS n
     FROM events
     WHERE created_at >= ? AND created_at < ?
       AND type IN (${types.map(() => "?").join(", ")})
     GROUP BY 1, 2, 3`,
    [from, to, ...types],
  );
  const conversations = await conversationsOf(
    db,
    found.map((r) => r.conversation_id),
  );
  for (const row of found) {
    // As an inner join did: events of a conversation that is gone count nowhere.
    const conversation = conversations.get(row.conversation_id);
    if (conversation) rows.add(EVENT_METRICS[row.type]!, groupOf(row.minute, conversation), row.n);
  }
}

/** `SUM(CASE ...)` columns counting the turns in each latency bucket. */
const LATENCY_COLUMNS = [...LATENCY_BOUNDS_MS, undefined]
  .map((upper, i) => {
    const lower = LATENCY_BOUNDS_MS[i - 1];
    const conditions = [
      lower === undefined ? undefined : `t.latency_ms > ${lower}`,
      upper === undefined ? undefined : `t.latency_ms <= ${upper}`,
    ].filter(Boolean);
    return `SUM(CASE WHEN ${conditions.join(" AND ")} THEN 1 ELSE 0 END) AS b${i}`;
  })
  .join(",\n       ");

interface TurnRow {
  minute: number;
  conversation_id: string;
  agent_id: string;
  agent_version: string;
  turns: number;
  latency: number;
  errors: number;
  fallbacks: number;
  blocks: number;
  violations: number;
  input_turns: number;
  input_tokens: number | null;
  output_turns: number;
  output_tokens: number | null;
  cost_turns: number;
  cost: number | null;
  [bucket: `b${number}`]: number;
}

/** The actions that make a reply's findings a violation, as rollouts count them. */
const VIOLATION_SQL = [...VIOLATION_ACTIONS].map((a) => `'${a}'`).join(", ");

async function addTurnFigures(db: Executor, from: number, to: number, rows: RollupRows) {
  const found = await db.all<TurnRow>(
    `SELECT ${MINUTE_OF("t.created_at")} AS minute, t.conversation_id AS conversation_id,
       t.agent_id AS agent_id, t.agent_version AS agent_version,
       COUNT(*) AS turns, SUM(t.latency_ms) AS latency,
       SUM(CASE WHEN t.error IS NOT NULL THEN 1 ELSE 0 END) AS errors,
       SUM(t.fallback) AS fallbacks,
       SUM(CASE WHEN t.action = 'block' THEN 1 ELSE 0 END) AS blocks,
       SUM(CASE WHEN t.findings <> '[]' AND t.action IN (${VIOLATION_SQL}) THEN 1 ELSE 0 END)
         AS violations,
       COUNT(t.input_tokens) AS input_turns, SUM(t.input_tokens) AS input_tokens,
       COUNT(t.output_tokens) AS output_turns, SUM(t.output_tokens) AS output_tokens,
       COUNT(t.cost) AS cost_turns, SUM(t.cost) AS cost,
       ${LATENCY_COLUMNS}
     FROM agent_turns t
     WHERE t.created_at >= ? AND t.created_at < ?
     GROUP BY 1, 2, 3, 4`,
    [from, to],
  );
  const conversations = await conversationsOf(
    db,
    found.map((r) => r.conversation_id),
  );
  for (const row of found) {
    const g = groupOf(row.minute, conversations.get(row.conversation_id), row);
    rows.add("turns", g, row.turns, row.latency);
    rows.add("turn_errors", g, row.errors);
    rows.add("turn_fallbacks", g, row.fallbacks);
    rows.add("guardrail_blocks", g, row.blocks);
    rows.add("guardrail_violations", g, row.violations);
    rows.add("tokens_in", g, row.input_turns, row.input_tokens ?? 0);
    rows.add("tokens_out", g, row.output_turns, row.output_tokens ?? 0);
    rows.add("cost", g, row.cost_turns, row.cost ?? 0);
    for (let i = 0; i <= LATENCY_BOUNDS_MS.length; i++) {
      rows.add(latencyBucket(i), g, row[`b${i}`] ?? 0);
    }
  }
}

/** A query's rows per minute and conversation, each with the group it counts in. */
async function withGroups<
  T extends {
    minute: number;
    conversation_id: string;
    agent_id: string | null;
    agent_version: string | null;
  },
>(db: Executor, sql: string, params: SqlValue[]): Promise<[T, Group][]> {
  const found = await db.all<T>(sql, params);
  const conversations = await conversationsOf(
    db,
    found.map((r) => r.conversation_id),
  );
  return found.map((row) => [
    row,
    groupOf(row.minute, conversations.get(row.conversation_id), row),
  ]);
}

async function addCsat(db: Executor, from: number, to: number, rows: RollupRows) {
  const found = await withGroups<{
    minute: number;
    conversation_id: string;
    agent_id: string | null;
    agent_version: string | null;
    n: number;
    total: number;
  }>(
    db,
    `SELECT ${MINUTE_OF("created_at")} AS minute, conversation_id, agent_id, agent_version,
       COUNT(*) AS n, SUM(value) AS total
     FROM outcome_events
     WHERE type = 'csat' AND value IS NOT NULL AND created_at >= ? AND created_at < ?
     GROUP BY 1, 2, 3, 4`,
    [from, to],
  );
  for (const [row, group] of found) rows.add("csat", group, row.n, row.total);
}

/** Judged conversations (count, sum of overall scores) and the bad ones, per judged minute. */
async function addQualityScores(db: Executor, from: number, to: number, rows: RollupRows) {
  const found = await withGroups<{
    minute: number;
    conversation_id: string;
    agent_id: string;
    agent_version: string;
    n: number;
    total: number;
    bad: number;
  }>(
    db,
    `SELECT ${MINUTE_OF("judged_at")} AS minute, conversation_id, agent_id, agent_version,
       COUNT(*) AS n, SUM(overall) AS total, SUM(bad) AS bad
     FROM quality_scores
     WHERE judged_at >= ? AND judged_at < ? AND status = 'judged'
     GROUP BY 1, 2, 3, 4`,
    [from, to],
  );
  for (const [row, group] of found) {
    rows.add("quality_scores", group, row.n, row.total);
    rows.add("quality_bad", group, row.bad);
  }
}
