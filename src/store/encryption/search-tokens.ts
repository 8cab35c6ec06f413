import { createHmac } from "node:crypto";
import type { Dialect, Executor, SqlValue } from "../database.ts";
import type { DerivedKey } from "./keyring.ts";

/**
 * A blind search index for sealed text: each distinct trigram of the lowercased text,
 * as a keyed hash (HMAC-SHA256 truncated to 64 bits), one `search_tokens` row each. A
 * search hashes the term's trigrams the same way and asks for rows holding all of them.
 * Nothing of the text is stored in the clear; what is revealed is which rows share a
 * trigram and how often a token occurs (frequency analysis on a large store could guess
 * common trigrams), the price of substring search over sealed text. A row holding every
 * trigram of a term out of order (rare for real words) matches too.
 */
export type SearchSource = "messages" | "identities";

/**
 * One statement per row whatever its token count (so it is prepared once): the tokens go
 * in as one JSON array the engine unnests.
 */
const INSERT_TOKENS: Record<Dialect, string> = {
  sqlite: `INSERT INTO search_tokens (token, source, row_id, owner_id)
    SELECT value, ?, ?, ? FROM json_each(?) WHERE true ON CONFLICT DO NOTHING`,
  postgres: `INSERT INTO search_tokens (token, source, row_id, owner_id)
    SELECT value, ?, ?, ? FROM json_array_elements_text(?::json) ON CONFLICT DO NOTHING`,
};

/** The distinct trigrams of `text`, lowercased, by code point. */
export function trigrams(text: string): string[] {
  const chars = [...text.toLowerCase()];
  const out = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) out.add(chars.slice(i, i + 3).join(""));
  return [...out];
}

export const searchToken = (key: DerivedKey, trigram: string) =>
  createHmac("sha256", key.search)
    .update(trigram, "utf8")
    .digest()
    .subarray(0, 8)
    .toString("base64url");

/** Index a row's text under `key` (its old tokens are gone: triggers drop them with the text). */
export async function writeSearchTokens(
  db: Executor,
  key: DerivedKey,
  source: SearchSource,
  rowId: string,
  ownerId: string,
  text: string,
): Promise<void> {
  const tokens = [...new Set(trigrams(text).map((t) => searchToken(key, t)))];
  if (tokens.length === 0) return;
  await db.run(INSERT_TOKENS[db.dialect], [source, rowId, ownerId, JSON.stringify(tokens)]);
}

/**
 * SQL for the owners (conversation of a message, identity of an address) of rows holding
 * every trigram of `term`, under any key of the ring (rows not yet rotated keep their
 * old key's tokens).
 */
export function ownersMatching(
  keys: readonly DerivedKey[],
  source: SearchSource,
  term: string,
): { sql: string; params: SqlValue[] } {
  const grams = trigrams(term);
  const parts = keys.map((key) => {
    const tokens = [...new Set(grams.map((t) => searchToken(key, t)))];
    return {
      sql: `SELECT owner_id FROM search_tokens WHERE source = ? AND token IN (${tokens
        .map(() => "?")
        .join(", ")}) GROUP BY row_id, owner_id HAVING COUNT(*) = ?`,
      params: [source, ...tokens, tokens.length] as SqlValue[],
    };
  });
  return {
    sql: parts.map((p) => p.sql).join(" UNION "),
    params: parts.flatMap((p) => p.params),
  };
}
