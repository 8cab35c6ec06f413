import { MainstayError } from "../shared/errors.ts";

/**
 * Cursor pagination: a list query fetches `limit + 1` rows after the cursor; the extra row
 * only tells whether there is a next page. Cursors are opaque to clients (the last id seen,
 * base64url-encoded), so the id format can change without breaking them.
 */
export function cursorPage<T>(
  rows: T[],
  limit: number,
  view: (row: T) => unknown,
  idOf: (row: T) => string | number,
) {
  const page = rows.slice(0, limit);
  return {
    data: page.map(view),
    nextCursor:
      rows.length > limit ? Buffer.from(String(idOf(page.at(-1)!))).toString("base64url") : null,
  };
}

/** The id inside a cursor from `cursorPage`; `pattern` is what such ids look like. */
export function decodeCursor(
  cursor: string | undefined,
  pattern = /^[a-z]+_[0-9a-z]+$/,
): string | undefined {
  if (cursor === undefined) return undefined;
  const id = Buffer.from(cursor, "base64url").toString("utf8");
  if (!pattern.test(id)) {
    throw new MainstayError("MS_BAD_REQUEST", "query.cursor: not a cursor this API returned", 400);
  }
  return id;
}
