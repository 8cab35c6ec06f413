import type { SearchSource } from "./search-tokens.ts";

/**
 * Every column that holds its value sealed when encryption is on (docs/governance.md
 * lists what is not, and why). `bind` is the column whose value the ciphertext is bound
 * to besides table and column: the row's key where it is known before the insert; the
 * channel for consent entries, whose `seq` the database assigns.
 */
export const SEALED_COLUMNS = [
  {
    field: "messages.text",
    table: "messages",
    column: "text",
    key: "id",
    bind: "id",
    blindIndex: false,
    search: { source: "messages", owner: "conversation_id" },
  },
  {
    field: "identities.address",
    table: "identities",
    column: "address",
    key: "id",
    bind: "id",
    blindIndex: true,
    search: { source: "identities", owner: "id" },
  },
  {
    field: "identities.phone",
    table: "identities",
    column: "phone",
    key: "id",
    bind: "id",
    blindIndex: true,
  },
  {
    field: "consent_ledger.address",
    table: "consent_ledger",
    column: "address",
    key: "seq",
    bind: "channel_id",
    blindIndex: true,
  },
  {
    field: "turn_traces.steps",
    table: "turn_traces",
    column: "steps",
    key: "turn_id",
    bind: "turn_id",
    blindIndex: false,
  },
  {
    // The queued intake's message before a job stores it (text, address, phone inside).
    field: "inbound_items.item",
    table: "inbound_items",
    column: "item",
    key: "id",
    bind: "id",
    blindIndex: false,
  },
] as const satisfies readonly SealedColumn[];

export interface SealedColumn {
  field: string;
  table: string;
  column: string;
  /** The primary key, walked in order by rotation. */
  key: string;
  bind: string;
  /** A `<column>_bidx` column holds its blind index (lookups, uniqueness). */
  blindIndex: boolean;
  search?: { source: SearchSource; owner: string };
}

export type SealedField = (typeof SEALED_COLUMNS)[number]["field"];

export const sealedColumn = (field: SealedField): SealedColumn =>
  SEALED_COLUMNS.find((c) => c.field === field)!;
