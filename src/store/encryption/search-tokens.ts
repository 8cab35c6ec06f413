import { createHmac } from "node:crypto";
import type { Dialect, Executor, SqlValue } from "../database.ts";
import type { IndexKey } from "./keyring.ts";

/**
 * A blind search index for sealed text: each distinct trigram of the lowercased text, as a
 * keyed hash (HMAC-SHA256 truncated to 64 bits, hex), all of a row's in one `search_tokens`
 * row: on SQLite an FTS5 table whose document is the row's tokens (its own inverted index),
 * on PostgreSQL a `text[]` with a GIN index. A search hashes the term's trigrams the same way
 * and asks for rows holding all of them, so a write is one row and a search costs what it
 * finds. Nothing of the text is stored in the clear; what is revealed is which rows share a
 * trigram and how often a token occurs (frequency analysis on a large store could guess
 * common trigrams), the price of substring search over sealed text. A row holding every
 * trigram of a term out of order (rare for real words) matches too.
 */
export type SearchSource = "messages" | "identities";

/** The distinct trigrams of `text`, lowercased, by code point. */
export function trigrams(text: string): string[] {
  const chars = [...text.toLowerCase()];
  const out = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) out.add(chars.slice(i, i + 3).join(""));
  return [...out];
}

/** Tokens per key kept for reuse: trigrams of real text repeat, and an HMAC is ~3 µs. */
const CACHE_LIMIT = 50_000;
const caches = new WeakMap<IndexKey, Map<string, string>>();

export function searchToken(key: IndexKey, trigram: string): string {
  let cache = caches.get(key);
  if (!cache) {
    cache = new Map();
    caches.set(key, cache);
  }
  const known = cache.get(trigram);
  if (known !== undefined) return known;
  const token = createHmac("sha256", key.search)
    .update(trigram, "utf8")
    .digest()
    .subarray(0, 8)
    .toString("hex");
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(trigram, token);
  return token;
}

const tokensOf = (key: IndexKey, text: string) => [
  ...new Set(trigrams(text).map((t) => searchToken(key, t))),
];

/** A PostgreSQL array literal: tokens are hex, so nothing needs quoting. */
const pgArray = (tokens: string[]) => `{${tokens.join(",")}}`;

const INSERT: Record<Dialect, string> = {
  sqlite: "INSERT INTO search_tokens (tokens, row_id, source, owner_id) VALUES (?, ?, ?, ?)",
  postgres: `INSERT INTO search_tokens (tokens, row_id, source, owner_id) VALUES (?::text[], ?, ?, ?)
    ON CONFLICT (source, row_id) DO UPDATE SET tokens = EXCLUDED.tokens, owner_id = EXCLUDED.owner_id`,
};

/** Index a row's text under `key` (its old tokens are gone: triggers drop them with the text). */
export async function writeSearchTokens(
  db: Executor,
  key: IndexKey,
  source: SearchSource,
  rowId: string,
  ownerId: string,
  text: string,
): Promise<void> {
  const tokens = tokensOf(key, text);
  if (tokens.length === 0) return;
  const stored = db.dialect === "sqlite" ? tokens.join(" ") : pgArray(tokens);
  await db.run(INSERT[db.dialect], [stored, rowId, source, ownerId]);
}

/**
 * SQL for the owners (conversation of a message, identity of an address) of rows holding
 * every trigram of `term`. One index key hashes every row's tokens, whichever data key
 * seals its text, so this is one indexed query however many data keys are live.
 */
export function ownersMatching(
  dialect: Dialect,
  key: IndexKey,
  source: SearchSource,
  term: string,
): { sql: string; params: SqlValue[] } {
  if (trigrams(term).length === 0) {
    return { sql: "SELECT owner_id FROM search_tokens WHERE 1 = 0", params: [] };
  }
  const tokens = tokensOf(key, term);
  return dialect === "sqlite"
    ? {
        sql: "SELECT owner_id FROM search_tokens WHERE search_tokens MATCH ? AND source = ?",
        params: [`tokens : (${tokens.join(" AND ")})`, source],
      }
    : {
        sql: "SELECT owner_id FROM search_tokens WHERE source = ? AND tokens @> ?::text[]",
        params: [source, pgArray(tokens)],
      };
}
