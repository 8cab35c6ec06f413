import type { Executor } from "../database.ts";
import type { FieldCodec } from "../encryption/index.ts";
import type { ConsentState, ContactMerge, Message } from "../model.ts";

/** What a message is for: answering the customer, or selling to them. */
export type ConsentPurpose = "service" | "marketing";
export const CONSENT_PURPOSES: readonly ConsentPurpose[] = ["service", "marketing"];

/** A message is marketing when it was queued as such (`meta.purpose`); all else is service. */
export function messagePurpose(message: Pick<Message, "meta">): ConsentPurpose {
  return message.meta["purpose"] === "marketing" ? "marketing" : "service";
}

/** One channel's address, or every identity the contact has (now or after a merge). */
export type ConsentScope = "address" | "all";

/**
 * One opt-out or opt-in of a contact for one purpose. Evidence names the message, the rule
 * that matched and the channel, never the message text, so an entry outlives the erasure
 * of what the person wrote.
 */
export interface ConsentEntry {
  seq: number;
  contactId: string;
  /** The identity it was made on; null on an entry a merge carried over. */
  identityId: string | null;
  purpose: ConsentPurpose;
  scope: ConsentScope;
  /** Where it was made; an `address` entry covers this (channel, address) only. */
  channelId: string;
  address: string;
  state: ConsentState;
  evidence: Record<string, unknown>;
  /** The merge that carried this entry over; it stops counting once that merge is undone. */
  mergeId: string | null;
  createdAt: number;
}

export type NewConsentEntry = Omit<ConsentEntry, "seq" | "createdAt" | "mergeId">;

export interface CoveredMessage {
  id: string;
  status: string;
  meta: Record<string, unknown>;
  sentAt: number | null;
}

/** Whom a message goes to: the series of entries that can refuse it. */
export interface ConsentTarget {
  contactId: string;
  channelId: string;
  address: string;
}

interface EntryRow {
  seq: number;
  contact_id: string;
  identity_id: string | null;
  purpose: ConsentPurpose;
  scope: ConsentScope;
  channel_id: string;
  address: string;
  state: ConsentState;
  evidence: string;
  merge_id: string | null;
  created_at: number;
}

/**
 * A stored row as an entry, its address opened. A sealed address is bound to the entry's
 * channel: its seq is not known before the insert (store/encryption/sealed-columns.ts).
 */
const entryFrom =
  (fields: FieldCodec) =>
  (r: EntryRow): ConsentEntry => ({
    seq: Number(r.seq),
    contactId: r.contact_id,
    identityId: r.identity_id,
    purpose: r.purpose,
    scope: r.scope,
    channelId: r.channel_id,
    address: fields.open("consent_ledger.address", r.channel_id, r.address),
    state: r.state,
    evidence: JSON.parse(r.evidence) as Record<string, unknown>,
    mergeId: r.merge_id,
    createdAt: Number(r.created_at),
  });

const COLUMNS =
  "contact_id, identity_id, purpose, scope, channel_id, address, state, evidence, merge_id, created_at";

/** Entries that count: all but those carried by a merge that was undone. */
const COUNTS = "undone_at IS NULL";

/**
 * The consent ledger: append-only entries per contact and purpose. The latest entry of a
 * series holds; a series is (channel, address, purpose) for `address` entries and
 * (contact, purpose) for `all` entries.
 */
export function consentLedgerRepository(db: Executor, fields: FieldCodec) {
  const toEntry = entryFrom(fields);
  async function insert(entry: NewConsentEntry, mergeId: string | null, now: number) {
    const indexes = fields.blindIndexColumns({ address: entry.address });
    const columns = [COLUMNS, ...indexes.columns].join(", ");
    const marks = Array.from({ length: 10 + indexes.columns.length }, () => "?").join(", ");
    await db.run(`INSERT INTO consent_ledger (${columns}) VALUES (${marks})`, [
      entry.contactId,
      entry.identityId,
      entry.purpose,
      entry.scope,
      entry.channelId,
      fields.seal("consent_ledger.address", entry.channelId, entry.address),
      entry.state,
      JSON.stringify(entry.evidence),
      mergeId,
      now,
      ...indexes.params,
    ]);
  }

  /** The latest counting `all` entry per purpose of a contact. */
  async function contactWide(contactId: string): Promise<ConsentEntry[]> {
    const rows = await db.all<EntryRow>(
      `SELECT * FROM consent_ledger WHERE seq IN (
         SELECT MAX(seq) FROM consent_ledger
         WHERE contact_id = ? AND scope = 'all' AND ${COUNTS} GROUP BY purpose)`,
      [contactId],
    );
    return rows.map(toEntry);
  }

  return {
    async record(entry: NewConsentEntry, now: number): Promise<void> {
      await insert(entry, null, now);
    },

    /**
     * The latest entry of every series that covers a message to `target`, in one statement
     * (the delivery gate runs it for every message sent).
     */
    async inForce(target: ConsentTarget): Promise<ConsentEntry[]> {
      const at = fields.equals("address", target.address);
      const rows = await db.all<EntryRow>(
        `SELECT * FROM consent_ledger WHERE seq IN (
           SELECT MAX(seq) FROM consent_ledger
           WHERE channel_id = ? AND ${at.sql} AND scope = 'address' GROUP BY purpose
           UNION ALL
           SELECT MAX(seq) FROM consent_ledger
           WHERE contact_id = ? AND scope = 'all' AND ${COUNTS} GROUP BY purpose)
         ORDER BY seq`,
        [target.channelId, ...at.params, target.contactId],
      );
      return rows.map(toEntry);
    },

    /**
     * Every counting entry of the contact, oldest first: its own, and those its identities
     * made before a merge brought them here.
     */
    async history(contactId: string): Promise<ConsentEntry[]> {
      const rows = await db.all<EntryRow>(
        `SELECT * FROM consent_ledger
         WHERE (contact_id = ? OR identity_id IN (SELECT id FROM identities WHERE contact_id = ?))
           AND ${COUNTS} ORDER BY seq`,
        [contactId, contactId],
      );
      return rows.map(toEntry);
    },

    /** Opt-outs in seq order after `afterSeq` (the revocation report pages through them). */
    async revocations(afterSeq: number, limit: number): Promise<ConsentEntry[]> {
      const rows = await db.all<EntryRow>(
        `SELECT * FROM consent_ledger WHERE state = 'opted_out' AND ${COUNTS} AND seq > ?
         ORDER BY seq LIMIT ?`,
        [afterSeq, limit],
      );
      return rows.map(toEntry);
    },

    /** The first entry of the same series after `entry`, if any (what ended it). */
    async nextInSeries(entry: ConsentEntry): Promise<ConsentEntry | undefined> {
      const at = fields.equals("address", entry.address);
      const row =
        entry.scope === "address"
          ? await db.get<EntryRow>(
              `SELECT * FROM consent_ledger WHERE channel_id = ? AND ${at.sql}
               AND scope = 'address' AND purpose = ? AND seq > ? ORDER BY seq LIMIT 1`,
              [entry.channelId, ...at.params, entry.purpose, entry.seq],
            )
          : await db.get<EntryRow>(
              `SELECT * FROM consent_ledger WHERE contact_id = ? AND scope = 'all'
               AND purpose = ? AND seq > ? AND ${COUNTS} ORDER BY seq LIMIT 1`,
              [entry.contactId, entry.purpose, entry.seq],
            );
      return row && toEntry(row);
    },

    /**
     * Outbound messages to whom `entry` covers that are still queued, or were sent between
     * `from` and `until` (what the revocation report checks). Oldest first, at most `limit`.
     */
    async coveredOutbound(
      entry: ConsentEntry,
      window: { from: number; until: number },
      limit: number,
    ): Promise<CoveredMessage[]> {
      const at = fields.equals("address", entry.address);
      const where =
        entry.scope === "all"
          ? { sql: "c.contact_id = ?", params: [entry.contactId] }
          : {
              sql: `c.channel_id = ? AND c.identity_id IN (SELECT id FROM identities WHERE ${at.sql})`,
              params: [entry.channelId, ...at.params],
            };
      const rows = await db.all<{
        id: string;
        status: string;
        meta: string;
        sent_at: number | null;
      }>(
        `SELECT m.id, m.status, m.meta, m.sent_at FROM conversations c
         JOIN messages m ON m.conversation_id = c.id
         WHERE ${where.sql} AND m.direction = 'outbound'
           AND (m.status = 'queued' OR (m.sent_at >= ? AND m.sent_at < ?))
         ORDER BY m.id LIMIT ?`,
        [...where.params, window.from, window.until, limit],
      );
      return rows.map((r) => ({
        id: r.id,
        status: r.status,
        meta: JSON.parse(r.meta) as Record<string, unknown>,
        sentAt: r.sent_at === null ? null : Number(r.sent_at),
      }));
    },

    /**
     * After `merge` moved the source's identities to the target: for each purpose the
     * source had opted out of contact-wide and the target had not, carry the opt-out over.
     * The stricter state wins, so a merge never opts anyone back in.
     */
    async carryOnMerge(merge: ContactMerge, now: number): Promise<void> {
      const [source, target] = await Promise.all([
        contactWide(merge.sourceContactId),
        contactWide(merge.targetContactId),
      ]);
      for (const out of source.filter((e) => e.state === "opted_out")) {
        if (target.some((e) => e.purpose === out.purpose && e.state === "opted_out")) continue;
        await insert(
          {
            ...out,
            contactId: merge.targetContactId,
            identityId: null,
            evidence: { carriedFrom: out.seq, fromContactId: out.contactId, ...out.evidence },
          },
          merge.id,
          now,
        );
      }
    },

    /**
     * After `merge` was undone: its carried entries stop counting, and entries the moved
     * identities made while merged go back with them, so each keeps its own.
     */
    async splitOnUnmerge(merge: ContactMerge, now: number): Promise<void> {
      await db.run("UPDATE consent_ledger SET undone_at = ? WHERE merge_id = ?", [now, merge.id]);
      if (merge.identityIds.length === 0) return;
      const marks = merge.identityIds.map(() => "?").join(", ");
      await db.run(
        `UPDATE consent_ledger SET contact_id = ?
         WHERE contact_id = ? AND identity_id IN (${marks})`,
        [merge.sourceContactId, merge.targetContactId, ...merge.identityIds],
      );
    },
  };
}

export type ConsentLedgerRepository = ReturnType<typeof consentLedgerRepository>;
