import type { Dialect, Executor, SqlValue } from "../database.ts";
import type { FieldCodec } from "../encryption/index.ts";
import type { SqlFilter } from "../sql-filter.ts";

/**
 * Conversation search (`q`): the conversations whose messages, contact name or customer
 * address contain the text (case-insensitive, at least three characters), or whose id it
 * is, newest first like every list.
 *
 * An index (search-index.ts) finds a term's rows at a cost that follows how many rows
 * match, not how many are stored; but a common term ("thanks") matches a good share of
 * everything, and its newest conversations are known only once the index has given every
 * match. So a search first looks through the newest conversations one by one, each checked
 * by its own rows: WALK[0] of them, then WALK[1] more if the first ones matched often
 * enough to fill the page within them all, and reads the index only when the walk cannot
 * fill the page: for a term that is rare among recent conversations, whose matches are
 * then few (at most about limit / sum(WALK) of the conversations, or old). Both ways give
 * the same rows: the walk stops only on a full page or when it has seen every
 * conversation the other filters allow.
 *
 * With encryption at rest, message text and addresses are sealed: no LIKE can read them.
 * Their matches come from the blind search index instead (keyed trigram tokens,
 * store/encryption/search-tokens.ts), or nowhere when the policy indexes nothing; names
 * and ids are found as without encryption. There is no walk then: checking a conversation
 * by its own rows would mean opening them.
 */

/** A trigram index looks nothing up below three characters: shorter text matches ids only. */
const MIN_SEARCH_LENGTH = 3;
/** Conversations walked through, window after window, before the index is read. */
const WALK = [100, 400];
const WALKED_AT_MOST = WALK.reduce((a, b) => a + b);

/** Text as a LIKE pattern matching it anywhere, its wildcards taken literally. */
const containing = (search: string) =>
  `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Whether conversation `c` matches, read from its own rows (the walk). The text is folded
 * as the index folds it: SQL `LOWER()` on the stored text, the search lowercased here.
 * `LIMIT 1 OFFSET 0` keeps PostgreSQL from hashing each EXISTS over every match (an
 * OFFSET stops it from turning EXISTS into IN), so it probes per conversation by index.
 */
function matchesConversation(search: string): { sql: string; params: SqlValue[] } {
  const pattern = containing(search);
  const exists = (from: string, on: string, column: string) =>
    `EXISTS (SELECT 1 FROM ${from} WHERE ${on} AND LOWER(${column}) LIKE ? ESCAPE '\\'
      LIMIT 1 OFFSET 0)`;
  return {
    sql: `(${exists("messages m", "m.conversation_id = c.id", "m.text")}
      OR ${exists("contacts k", "k.id = c.contact_id", "k.display_name")}
      OR ${exists("identities i", "i.id = c.identity_id", "i.address")}
      OR c.id = ?)`,
    params: [pattern, pattern, pattern, search],
  };
}

type Condition = { sql: string; params: SqlValue[] };
type Source = "messages" | "names" | "identities";

/** Per source, SQL for the conversations its index finds the text in. */
function indexedSources(dialect: Dialect, search: string): Record<Source, Condition> {
  if (dialect === "sqlite") {
    // One FTS5 phrase: with the trigram tokenizer, the text as a substring.
    const phrase = [`"${search.toLowerCase().replaceAll('"', '""')}"`];
    return {
      messages: {
        sql: "SELECT conversation_id FROM messages_search WHERE messages_search MATCH ?",
        params: phrase,
      },
      names: {
        sql: `SELECT k.id FROM contacts_search s JOIN conversations k ON k.contact_id = s.contact_id
          WHERE contacts_search MATCH ?`,
        params: phrase,
      },
      identities: {
        sql: `SELECT k.id FROM identities_search s
          JOIN conversations k ON k.identity_id = s.identity_id WHERE identities_search MATCH ?`,
        params: phrase,
      },
    };
  }
  // The trigram indexes on LOWER(column) serve these LIKEs.
  const pattern = [containing(search)];
  return {
    messages: {
      sql: "SELECT conversation_id FROM messages WHERE LOWER(text) LIKE ? ESCAPE '\\'",
      params: pattern,
    },
    names: {
      sql: `SELECT k.id FROM contacts n JOIN conversations k ON k.contact_id = n.id
        WHERE LOWER(n.display_name) LIKE ? ESCAPE '\\'`,
      params: pattern,
    },
    identities: {
      sql: `SELECT k.id FROM identities i JOIN conversations k ON k.identity_id = i.id
        WHERE LOWER(i.address) LIKE ? ESCAPE '\\'`,
      params: pattern,
    },
  };
}

/**
 * The conversations the indexes find the text in: a cost that follows the matches. Sealed
 * texts and addresses are found by their blind search index (when the policy keeps one).
 */
function indexedCondition(db: Executor, fields: FieldCodec, search: string): Condition {
  const sources = indexedSources(db.dialect, search);
  const sealed = (source: "messages" | "identities") =>
    fields.searchOwners(db.dialect, source, search);
  const identities = sealed("identities");
  const parts = fields.encrypted
    ? [
        sealed("messages"),
        identities && {
          sql: `SELECT k.id FROM conversations k WHERE k.identity_id IN (${identities.sql})`,
          params: identities.params,
        },
        sources.names,
      ].filter((p) => p !== undefined)
    : [sources.messages, sources.names, sources.identities];
  parts.push({ sql: "SELECT ?", params: [search] });
  return {
    sql: `c.id IN (${parts.map((p) => p.sql).join(" UNION ")})`,
    params: parts.flatMap((p) => p.params),
  };
}

/** The list's other filters, with conversations only before `before` when given. */
export type Filtered = (before?: string) => SqlFilter;

/** The newest `limit` conversations `filtered()` allows that match `search`. */
export async function searchConversations<Row extends { id: string }>(
  db: Executor,
  fields: FieldCodec,
  filtered: Filtered,
  search: string,
  limit: number,
): Promise<Row[]> {
  const where = filtered();
  const and = where.where ? `${where.where} AND` : "WHERE";
  if ([...search].length < MIN_SEARCH_LENGTH) {
    return db.all<Row>(`SELECT * FROM conversations c ${and} c.id = ? ORDER BY c.id DESC LIMIT ?`, [
      ...where.params,
      search,
      limit,
    ]);
  }
  if (!fields.encrypted) {
    const walked = await walkNewest<Row>(db, filtered, search, limit);
    if (walked) return walked;
  }
  const indexed = indexedCondition(db, fields, search);
  return db.all<Row>(
    `SELECT * FROM conversations c ${and} ${indexed.sql} ORDER BY c.id DESC LIMIT ?`,
    [...where.params, ...indexed.params, limit],
  );
}

/**
 * The newest conversations, window after window, each checked: the answer when they give a
 * full page or are all there is; undefined when the index must be read.
 */
async function walkNewest<Row extends { id: string }>(
  db: Executor,
  filtered: Filtered,
  search: string,
  limit: number,
): Promise<Row[] | undefined> {
  const match = matchesConversation(search);
  const found: Row[] = [];
  let walked = 0;
  let before: string | undefined;
  for (const size of WALK) {
    // Whether the walk can fill the page: the matches so far, at the rate they came.
    if (walked > 0 && (found.length / walked) * WALKED_AT_MOST < limit) return undefined;
    const window = filtered(before);
    // A subquery with its own LIMIT: neither engine may turn the checks into a join that
    // reads every match.
    const rows = await db.all<Row>(
      `SELECT * FROM (SELECT * FROM conversations c ${window.where} ORDER BY c.id DESC LIMIT ?) c
       WHERE ${match.sql} ORDER BY c.id DESC LIMIT ?`,
      [...window.params, size, ...match.params, limit - found.length],
    );
    found.push(...rows);
    if (found.length === limit) return found;
    const last = await db.get<{ id: string }>(
      `SELECT c.id FROM conversations c ${window.where} ORDER BY c.id DESC LIMIT 1 OFFSET ?`,
      [...window.params, size - 1],
    );
    if (!last) return found;
    walked += size;
    before = last.id;
  }
  return undefined;
}
