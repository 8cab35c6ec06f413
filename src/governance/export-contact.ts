import { appendAudit } from "../audit/index.ts";
import { MainstayError } from "../shared/errors.ts";
import type { SqlValue, Store } from "../store/index.ts";
import { CONSENT_TABLES, erasureOf, linkedContactIds } from "./erase-contact.ts";
import { listHolds } from "./legal-holds.ts";

/** Columns stored as JSON text, given back parsed. */
const JSON_COLUMNS = new Set([
  "meta",
  "attachments",
  "data",
  "evidence",
  "steps",
  "findings",
  "identity_ids",
  "conversation_ids",
]);

const placeholders = (n: number) => Array.from({ length: n }, () => "?").join(", ");

const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** A stored row as it is, keys in camelCase, JSON columns parsed. */
function exported(row: Record<string, unknown>) {
  const out: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    out[camel(column)] =
      JSON_COLUMNS.has(column) && typeof value === "string" ? JSON.parse(value) : value;
  }
  return out;
}

/** Rows of `table` as stored, sealed columns opened (encryption at rest). */
async function rows(store: Store, table: string, sql: string, params: SqlValue[]) {
  const found = await store.db.all<Record<string, unknown>>(sql, params);
  return found.map((row) => exported(store.fields.openRow(table, row)));
}

/** Everything stored of one conversation. */
async function conversationExport(store: Store, conversation: Record<string, unknown>) {
  const id = conversation["id"] as string;
  const of = (table: string, order: string) =>
    rows(store, table, `SELECT * FROM ${table} WHERE conversation_id = ? ORDER BY ${order}`, [id]);
  return {
    ...exported(conversation),
    messages: await of("messages", "id"),
    events: await of("events", "seq"),
    agentTurns: await of("agent_turns", "created_at, id"),
    turnTraces: await of("turn_traces", "created_at, turn_id"),
    outcomes: await of("conversation_outcomes", "agent_version"),
    feedback: await of("outcome_events", "id"),
    notes: await of("conversation_notes", "id"),
    labels: await of("conversation_labels", "label"),
  };
}

export const EXPORT_FORMAT = "mainstay.contact-export.v1";

/**
 * Everything Mainstay stores about a person, across every identity linked to the contact,
 * as JSON: the rows as stored (epoch-millisecond times), so nothing is left out by a view.
 * Each export is an audit entry (ids only).
 */
export async function exportContact(store: Store, contactId: string, actor: string, now: number) {
  const db = store.db;
  const contact = await db.get<Record<string, unknown>>("SELECT * FROM contacts WHERE id = ?", [
    contactId,
  ]);
  if (!contact) throw new MainstayError("MS_NOT_FOUND", `contact ${contactId} not found`, 404);
  const conversations = await db.all<Record<string, unknown>>(
    "SELECT * FROM conversations WHERE contact_id = ? ORDER BY id",
    [contactId],
  );
  const linked = await linkedContactIds(db, contactId);
  const document = {
    format: EXPORT_FORMAT,
    exportedAt: now,
    contact: exported(contact),
    mergedContacts: await rows(
      store,
      "contacts",
      `SELECT * FROM contacts WHERE id IN (${placeholders(linked.length)}) AND id <> ? ORDER BY id`,
      [...linked, contactId],
    ),
    erasure: (await erasureOf(db, contactId)) ?? null,
    identities: await rows(
      store,
      "identities",
      "SELECT * FROM identities WHERE contact_id = ? ORDER BY id",
      [contactId],
    ),
    consent: Object.fromEntries(
      await Promise.all(
        CONSENT_TABLES.map(async (table) => [
          camel(table),
          await rows(store, table, `SELECT * FROM ${table} WHERE contact_id = ? ORDER BY seq`, [
            contactId,
          ]),
        ]),
      ),
    ),
    merges: await rows(
      store,
      "contact_merges",
      "SELECT * FROM contact_merges WHERE target_contact_id = ? OR source_contact_id = ? ORDER BY id",
      [contactId, contactId],
    ),
    // Without their reasons: those are the operator's (a litigation), not the person's.
    legalHolds: [
      ...(await listHolds(db, { scope: "contact", targetId: contactId, active: false })),
      ...(
        await Promise.all(
          conversations.map((c) =>
            listHolds(db, { scope: "conversation", targetId: c["id"] as string, active: false }),
          ),
        )
      ).flat(),
    ].map(({ reason: _reason, ...hold }) => hold),
    conversations: await Promise.all(conversations.map((c) => conversationExport(store, c))),
  };
  await appendAudit(store, { actor, action: "contact.export", target: contactId }, now);
  return document;
}
