import { VIOLATION_ACTIONS } from "../../conversations/index.ts";
import type { Executor, MetricRollup } from "../../store/index.ts";
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
 * conversation events (messages, conversations, handoffs), agent turns and CSAT answers.
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
  return rows.list();
}

async function addEventCounts(db: Executor, from: number, to: number, rows: RollupRows) {
  const types = Object.keys(EVENT_METRICS);
  const found = await db.all<Group & { type: string; n: number }>(
    `SELECT ${MINUTE_OF("e.created_at")} AS minute, e.type AS type, c.channel_id AS channel,
       COALESCE(c.agent_id, '') AS agent_id, COALESCE(c.agent_version, '') AS agent_version,
       COUNT(*) AS n
     FROM events e JOIN conversations c ON c.id = e.conversation_id
     WHERE e.created_at >= ? AND e.created_at < ?
       AND e.type IN (${types.map(() => "?").join(", ")})
     GROUP BY 1, 2, 3, 4, 5`,
    [from, to, ...types],
  );
  for (const row of found) rows.add(EVENT_METRICS[row.type]!, row, row.n);
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

interface TurnRow extends Group {
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
    `SELECT ${MINUTE_OF("t.created_at")} AS minute, COALESCE(c.channel_id, '') AS channel,
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
     FROM agent_turns t LEFT JOIN conversations c ON c.id = t.conversation_id
     WHERE t.created_at >= ? AND t.created_at < ?
     GROUP BY 1, 2, 3, 4`,
    [from, to],
  );
  for (const row of found) {
    rows.add("turns", row, row.turns, row.latency);
    rows.add("turn_errors", row, row.errors);
    rows.add("turn_fallbacks", row, row.fallbacks);
    rows.add("guardrail_blocks", row, row.blocks);
    rows.add("guardrail_violations", row, row.violations);
    rows.add("tokens_in", row, row.input_turns, row.input_tokens ?? 0);
    rows.add("tokens_out", row, row.output_turns, row.output_tokens ?? 0);
    rows.add("cost", row, row.cost_turns, row.cost ?? 0);
    for (let i = 0; i <= LATENCY_BOUNDS_MS.length; i++) {
      rows.add(latencyBucket(i), row, row[`b${i}`] ?? 0);
    }
  }
}

async function addCsat(db: Executor, from: number, to: number, rows: RollupRows) {
  const found = await db.all<Group & { n: number; total: number }>(
    `SELECT ${MINUTE_OF("o.created_at")} AS minute, COALESCE(c.channel_id, '') AS channel,
       COALESCE(o.agent_id, c.agent_id, '') AS agent_id,
       COALESCE(o.agent_version, c.agent_version, '') AS agent_version,
       COUNT(*) AS n, SUM(o.value) AS total
     FROM outcome_events o LEFT JOIN conversations c ON c.id = o.conversation_id
     WHERE o.type = 'csat' AND o.value IS NOT NULL AND o.created_at >= ? AND o.created_at < ?
     GROUP BY 1, 2, 3, 4`,
    [from, to],
  );
  for (const row of found) rows.add("csat", row, row.n, row.total);
}
