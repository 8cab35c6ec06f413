import type { Executor, SqlValue } from "../store/index.ts";
import { notHeld } from "./legal-holds.ts";
import { eventWithoutEvidence, markPurged, metaWithoutEvidence } from "./redact-records.ts";
import type { DataClass } from "./retention-config.ts";

/** A row the purge looked at: its position, and the columns its purge needs. */
export interface Candidate {
  row_key: string;
  created_at: number;
  [column: string]: unknown;
}

/**
 * How one table's share of a data class is purged. `select` returns the SQL of the next
 * rows after a position, oldest first; `conversation` names the column holding the row's
 * conversation and `channel` its channel id (through the conversation when the table has
 * none), which scopes and holds filter on.
 */
export interface Purger {
  name: string;
  dataClass: DataClass;
  from: string;
  /** Columns read besides the position (`key`, `created_at`). */
  columns: string;
  keyColumn: string;
  keyParam: (key: string) => SqlValue;
  channel: string;
  conversation: string;
  /** Only rows still holding something to purge. */
  pending: string;
  /** Purges the rows; returns how many it changed. */
  purge(tx: Executor, rows: Candidate[], now: number): Promise<number>;
}

const parse = (text: unknown) => JSON.parse(String(text)) as Record<string, unknown>;

const placeholders = (n: number) => Array.from({ length: n }, () => "?").join(", ");

async function deleteKeys(tx: Executor, table: string, column: string, rows: Candidate[]) {
  if (rows.length === 0) return 0;
  const { changes } = await tx.run(
    `DELETE FROM ${table} WHERE ${column} IN (${placeholders(rows.length)})`,
    rows.map((r) => r.row_key),
  );
  return changes;
}

const messageTable = {
  from: "messages m",
  keyColumn: "m.id",
  keyParam: (key: string) => key,
  channel: "m.channel_id",
  conversation: "m.conversation_id",
};

const viaConversation = (table: string, alias: string, keyColumn: string) => ({
  from: `${table} ${alias} JOIN conversations pc ON pc.id = ${alias}.conversation_id`,
  keyColumn: `${alias}.${keyColumn}`,
  channel: "pc.channel_id",
  conversation: `${alias}.conversation_id`,
});

/** Sets `assignment` on each message and records `meta.purged.<what>`. */
function clearMessageColumn(assignment: string, what: string): Purger["purge"] {
  return async (tx, rows, now) => {
    for (const row of rows) {
      await tx.run(`UPDATE messages SET ${assignment}, meta = ? WHERE id = ?`, [
        JSON.stringify(markPurged(parse(row["meta"]), what, now)),
        row.row_key,
      ]);
    }
    return rows.length;
  };
}

/** Every table each data class is purged from (docs/governance.md has the table). */
export const PURGERS: Purger[] = [
  {
    name: "messages",
    dataClass: "messages",
    ...messageTable,
    columns: "m.meta",
    // A reply still waiting to be sent is left for its delivery job.
    pending: "m.text <> '' AND m.status <> 'queued'",
    // The search index (SQLite FTS triggers, PostgreSQL's trigram index) follows the text.
    purge: clearMessageColumn("text = ''", "text"),
  },
  {
    name: "attachments",
    dataClass: "attachments",
    ...messageTable,
    columns: "m.meta",
    pending: "m.attachments <> '[]' AND m.status <> 'queued'",
    purge: clearMessageColumn("attachments = '[]'", "attachments"),
  },
  {
    name: "evidence.messages",
    dataClass: "evidence",
    ...messageTable,
    columns: "m.meta",
    pending: `m.meta LIKE '%"evidence"%'`,
    async purge(tx, rows, now) {
      let changed = 0;
      for (const row of rows) {
        const meta = metaWithoutEvidence(parse(row["meta"]), now);
        if (!meta) continue;
        await tx.run("UPDATE messages SET meta = ? WHERE id = ?", [
          JSON.stringify(meta),
          row.row_key,
        ]);
        changed++;
      }
      return changed;
    },
  },
  {
    name: "evidence.events",
    dataClass: "evidence",
    ...viaConversation("events", "e", "seq"),
    keyParam: Number,
    columns: "e.data",
    pending: `e.type = 'guardrail.decision' AND e.data LIKE '%"evidence"%'`,
    async purge(tx, rows, now) {
      let changed = 0;
      for (const row of rows) {
        const data = eventWithoutEvidence(parse(row["data"]), now);
        if (!data) continue;
        await tx.run("UPDATE events SET data = ? WHERE seq = ?", [
          JSON.stringify(data),
          Number(row.row_key),
        ]);
        changed++;
      }
      return changed;
    },
  },
  {
    name: "traces",
    dataClass: "traces",
    ...viaConversation("turn_traces", "t", "turn_id"),
    keyParam: (key) => key,
    columns: "t.turn_id",
    pending: "1 = 1",
    purge: (tx, rows) => deleteKeys(tx, "turn_traces", "turn_id", rows),
  },
  {
    name: "turns",
    dataClass: "turns",
    ...viaConversation("agent_turns", "a", "id"),
    keyParam: (key) => key,
    columns: "a.id",
    pending: "1 = 1",
    purge: (tx, rows) => deleteKeys(tx, "agent_turns", "id", rows),
  },
];

/** Which channels a pass covers: one channel, or every channel but the ones named. */
export type ChannelScope = { only: string } | { except: string[] };

/**
 * The next `limit` rows of `purger` stored before `cutoff`, after `position`, in `scope`,
 * still holding something to purge and under no hold.
 */
export function candidates(
  tx: Executor,
  purger: Purger,
  scope: ChannelScope,
  cutoff: number,
  position: { createdAt: number; key: string } | undefined,
  limit: number,
): Promise<Candidate[]> {
  const alias = purger.keyColumn.split(".")[0]!;
  const createdAt = `${alias}.created_at`;
  const where = [`${createdAt} < ?`, purger.pending, notHeld(purger.conversation)];
  const params: SqlValue[] = [cutoff];
  if ("only" in scope) {
    where.push(`${purger.channel} = ?`);
    params.push(scope.only);
  } else if (scope.except.length > 0) {
    where.push(`${purger.channel} NOT IN (${placeholders(scope.except.length)})`);
    params.push(...scope.except);
  }
  if (position) {
    where.push(`(${createdAt} > ? OR (${createdAt} = ? AND ${purger.keyColumn} > ?))`);
    params.push(position.createdAt, position.createdAt, purger.keyParam(position.key));
  }
  return tx.all<Candidate>(
    `SELECT ${purger.keyColumn} AS row_key, ${createdAt} AS created_at, ${purger.columns}
     FROM ${purger.from} WHERE ${where.join(" AND ")}
     ORDER BY ${createdAt}, ${purger.keyColumn} LIMIT ${limit}`,
    params,
  );
}
