import type { Dialect, Executor } from "./database.ts";

/** The FTS tables' key columns: [in the FTS table, in the source table]. */
const MESSAGE_KEYS: [string, string][] = [
  ["conversation_id", "conversation_id"],
  ["message_id", "id"],
];
const IDENTITY_KEYS: [string, string][] = [["identity_id", "id"]];

/**
 * What conversation search (`q`, repositories/conversation-search.ts) reads so that a
 * search costs what it finds, not what is stored: message text, contact names and
 * customer addresses, matched as substrings of `LOWER(column)`, as the search did before
 * these indexes (so results are the same, only found faster).
 *
 * SQLite: an FTS5 table per source with the `trigram` tokenizer (a phrase matches as a
 * substring through the index), holding `LOWER(column)` and kept in step by triggers on
 * insert, update and delete. Each holds its own copy of the text: an external-content
 * table would key it by the source's rowid, which VACUUM may renumber on tables without
 * an INTEGER PRIMARY KEY. A delete finds its rows through the index too (by its text).
 *
 * PostgreSQL: GIN trigram indexes (pg_trgm) on lower(column), which `LOWER(col) LIKE
 * '%q%'` uses as is; nothing to keep in step. pg_trgm ships with PostgreSQL (contrib) and
 * is a trusted extension from PostgreSQL 13, so the database owner may create it; it goes
 * in `public` unless it is installed already, and the indexes name its schema. Where it
 * cannot be created the migration warns and goes on without the indexes: search gives the
 * same results, reading every row (docs/operations.md says how to add them later).
 */
export const SEARCH_INDEX: Record<Dialect, string[]> = {
  sqlite: [
    ...ftsTable("messages_search", "messages", "text", MESSAGE_KEYS),
    ...ftsTable("contacts_search", "contacts", "display_name", [["contact_id", "id"]]),
    ...ftsTable("identities_search", "identities", "address", IDENTITY_KEYS),
  ],
  postgres: [
    `DO $$
    DECLARE ext TEXT;
    BEGIN
      -- Schemas migrating at once (one lock each) would race to create the extension.
      PERFORM pg_advisory_xact_lock(4242, hashtext('pg_trgm'));
      BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
      EXCEPTION WHEN OTHERS THEN
        RAISE WARNING 'mainstay: pg_trgm unavailable (%), conversation search reads every row', SQLERRM;
        RETURN;
      END;
      SELECT n.nspname INTO ext FROM pg_extension e
        JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
      EXECUTE format('CREATE INDEX messages_text_trgm ON messages
        USING gin (lower(text) %I.gin_trgm_ops)', ext);
      EXECUTE format('CREATE INDEX contacts_name_trgm ON contacts
        USING gin (lower(display_name) %I.gin_trgm_ops)', ext);
      EXECUTE format('CREATE INDEX identities_address_trgm ON identities
        USING gin (lower(address) %I.gin_trgm_ops)', ext);
    END $$`,
  ],
};

/**
 * SQLite (migration 20): the insert and update triggers of the message and address FTS
 * tables again, leaving sealed values out (their ciphertext would only take room).
 */
export const FTS_PLAINTEXT_ONLY: string[] = (
  [
    ["messages_search", "messages", "text", MESSAGE_KEYS],
    ["identities_search", "identities", "address", IDENTITY_KEYS],
  ] as const
).flatMap(([name, source, column, keys]) => [
  `DROP TRIGGER ${name}_insert`,
  `DROP TRIGGER ${name}_update`,
  ...ftsTable(name, source, column, keys, true).slice(1, 3),
]);

/** `value` as one FTS5 phrase, in SQL. */
function phraseSql(value: string): string {
  return `'"' || REPLACE(${value}, '"', '""') || '"'`;
}

/**
 * An FTS5 trigram table over `LOWER(source.column)` with key columns, and its triggers.
 * `plaintextOnly`: values sealed by encryption at rest (`enc:v1:`, store/encryption/) are
 * not indexed; their search goes through `search_tokens` instead.
 */
function ftsTable(
  name: string,
  source: string,
  column: string,
  keys: [string, string][],
  plaintextOnly = false,
) {
  const names = [column, ...keys.map(([k]) => k)].join(", ");
  const values = (row: string) =>
    [`LOWER(${row}.${column})`, ...keys.map(([, s]) => `${row}.${s}`)].join(", ");
  const [key, sourceKey] = keys.at(-1)!;
  const unsealed = plaintextOnly ? ` AND substr(new.${column}, 1, 7) <> 'enc:v1:'` : "";
  const insert = `INSERT INTO ${name} (${names}) SELECT ${values("new")} WHERE new.${column} IS NOT NULL${unsealed};`;
  // The old row's text finds its entry through the index; text under three characters has
  // no trigram, so only then is the table scanned for the key.
  const remove = `DELETE FROM ${name} WHERE ${key} = old.${sourceKey} AND rowid IN
      (SELECT rowid FROM ${name} WHERE ${name} MATCH ${phraseSql(`LOWER(COALESCE(old.${column}, ''))`)});
    DELETE FROM ${name} WHERE length(old.${column}) < 3 AND ${key} = old.${sourceKey};`;
  return [
    `CREATE VIRTUAL TABLE ${name} USING fts5(${column}, ${keys
      .map(([k]) => `${k} UNINDEXED`)
      .join(", ")}, tokenize = 'trigram case_sensitive 1')`,
    `CREATE TRIGGER ${name}_insert AFTER INSERT ON ${source} BEGIN ${insert} END`,
    `CREATE TRIGGER ${name}_update AFTER UPDATE OF ${[column, ...keys.map(([, s]) => s)].join(", ")}
      ON ${source} BEGIN ${remove} ${insert} END`,
    `CREATE TRIGGER ${name}_delete AFTER DELETE ON ${source} BEGIN ${remove} END`,
  ];
}

/** Rows per backfill chunk: a few milliseconds of FTS inserts each. */
const CHUNK = 500;

const SOURCES = [
  {
    table: "messages",
    column: "text",
    insert: "INSERT INTO messages_search (text, conversation_id, message_id)",
    select: "LOWER(text), conversation_id, id",
  },
  {
    table: "contacts",
    column: "display_name",
    insert: "INSERT INTO contacts_search (display_name, contact_id)",
    select: "LOWER(display_name), id",
  },
  {
    table: "identities",
    column: "address",
    insert: "INSERT INTO identities_search (address, identity_id)",
    select: "LOWER(address), id",
  },
];

/**
 * SQLite: index the rows stored before the triggers existed, CHUNK at a time in rowid order
 * (stable while the migration runs: nothing else writes before the store opens). The
 * position is `table:last rowid done:last rowid to do`; later rows came in through the
 * triggers.
 */
export async function backfillSearch(tx: Executor, after: string): Promise<string | null> {
  const [table, from, last] = after === "" ? [SOURCES[0]!.table, 0, -1] : parsePosition(after);
  const source = SOURCES.find((s) => s.table === table)!;
  const until =
    last >= 0
      ? last
      : ((await tx.get<{ r: number | null }>(`SELECT MAX(rowid) AS r FROM ${table}`))?.r ?? 0);
  const end = await tx.get<{ r: number }>(
    `SELECT rowid AS r FROM ${table} WHERE rowid > ? ORDER BY rowid LIMIT 1 OFFSET ${CHUNK - 1}`,
    [from],
  );
  const upper = Math.min(until, end?.r ?? until);
  await tx.run(
    `${source.insert} SELECT ${source.select} FROM ${table}
     WHERE rowid > ? AND rowid <= ? AND ${source.column} IS NOT NULL`,
    [from, upper],
  );
  if (upper < until) return `${table}:${upper}:${until}`;
  const following = SOURCES[SOURCES.indexOf(source) + 1];
  return following ? `${following.table}:0:-1` : null;
}

function parsePosition(position: string): [string, number, number] {
  const [table, from, until] = position.split(":");
  return [table!, Number(from), Number(until)];
}
