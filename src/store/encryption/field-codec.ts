import type { Dialect, Executor, SqlValue } from "../database.ts";
import { blindIndex } from "./blind-index.ts";
import { isSealed, open, seal } from "./field-cipher.ts";
import type { EncryptionOptions, Keyring } from "./keyring.ts";
import { SEALED_COLUMNS, type SealedField } from "./sealed-columns.ts";
import { ownersMatching, type SearchSource, writeSearchTokens } from "./search-tokens.ts";

type Condition = { sql: string; params: SqlValue[] };

/**
 * The one seam between repositories and encryption at rest: repositories hand values
 * through it on the way in and out, and ask it how to look a value up. `plaintextFields`
 * passes everything through and asks for exactly the SQL of before; `sealedFields`
 * encrypts (field-cipher.ts), looks up by blind index and indexes text for search by
 * keyed trigram tokens.
 */
export interface FieldCodec {
  readonly encrypted: boolean;
  /** The keys in use when encrypting (rotation seals with them). */
  readonly keyring?: Keyring;
  /** The stored form of `value` of `field` in the row whose `bind` column is `bind`. */
  seal(field: SealedField, bind: string, value: string): string;
  open(field: SealedField, bind: string, stored: string): string;
  /** What the `<column>_bidx` column holds for `value`: null when not encrypting. */
  blindIndex(value: string | null): string | null;
  /**
   * The blind index columns (`<column>_bidx`) to write with a row, given its plaintext
   * values by column: none when not encrypting, so the insert is the one of before.
   */
  blindIndexColumns(values: Record<string, string | null>): {
    columns: string[];
    params: SqlValue[];
  };
  /** SQL true when `column` (e.g. `i.address`) holds `value`. */
  equals(column: string, value: string): Condition;
  /** After a row of a searchable column was written: index its text for search. */
  indexForSearch(
    db: Executor,
    source: SearchSource,
    rowId: string,
    ownerId: string,
    text: string,
  ): Promise<void>;
  /**
   * Encrypting: SQL selecting the owners of `source` rows that contain `term`, or
   * undefined when the policy indexes nothing. Not encrypting: never called (search
   * reads the plaintext columns and their indexes).
   */
  searchOwners(dialect: Dialect, source: SearchSource, term: string): Condition | undefined;
  /** A raw row of `table` with its sealed columns opened (exports read rows as stored). */
  openRow(table: string, row: Record<string, unknown>): Record<string, unknown>;
}

export const plaintextFields: FieldCodec = {
  encrypted: false,
  seal: (_field, _bind, value) => value,
  open: (_field, _bind, stored) => stored,
  blindIndex: () => null,
  blindIndexColumns: () => ({ columns: [], params: [] }),
  equals: (column, value) => ({ sql: `${column} = ?`, params: [value] }),
  indexForSearch: async () => {},
  searchOwners: () => undefined,
  openRow: (_table, row) => row,
};

const aad = (field: string, bind: string) => `${field}:${bind}`;

export function sealedFields(keyring: Keyring, search: EncryptionOptions["search"]): FieldCodec {
  const codec: FieldCodec = {
    encrypted: true,
    keyring,
    // Empty stays empty: erasure and retention clear text to '' and test for it in SQL.
    seal: (field, bind, value) =>
      value === "" ? "" : seal(keyring.active, aad(field, bind), value),
    // Anything not sealed was stored as plaintext: before encryption was on, or erased.
    open: (field, bind, stored) =>
      isSealed(stored) ? open(keyring, aad(field, bind), stored) : stored,
    blindIndex: (value) => (value === null ? null : blindIndex(keyring.index, value)),
    blindIndexColumns: (values) => ({
      columns: Object.keys(values).map((c) => `${c}_bidx`),
      params: Object.values(values).map((v) => codec.blindIndex(v)),
    }),
    // Rows stored before encryption was turned on hold the plaintext until
    // `mainstay keys rotate` seals them; the plaintext comparison finds those.
    equals: (column, value) => ({
      sql: `(${column}_bidx = ? OR ${column} = ?)`,
      params: [blindIndex(keyring.index, value), value],
    }),
    async indexForSearch(db, source, rowId, ownerId, text) {
      if (search === "none") return;
      await writeSearchTokens(db, keyring.index, source, rowId, ownerId, text);
    },
    searchOwners: (dialect, source, term) =>
      search === "none" ? undefined : ownersMatching(dialect, keyring.index, source, term),
    openRow(table, row) {
      const out = { ...row };
      for (const c of SEALED_COLUMNS.filter((s) => s.table === table)) {
        const value = out[c.column];
        if (typeof value === "string")
          out[c.column] = codec.open(c.field, String(out[c.bind]), value);
        if (c.blindIndex) delete out[`${c.column}_bidx`];
      }
      return out;
    },
  };
  return codec;
}
