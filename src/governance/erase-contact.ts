import { createHash } from "node:crypto";
import { appendAudit } from "../audit/index.ts";
import { MainstayError } from "../shared/errors.ts";
import type { Executor, Store } from "../store/index.ts";
import { activeHoldsOn } from "./legal-holds.ts";
import { erasedConsentEvidence, erasedEventData, erasedMessageMeta } from "./redact-records.ts";

/** Where consent is kept: the ledger (migration 15) and the changes it was copied from. */
export const CONSENT_TABLES = ["consent_ledger", "consent_changes"] as const;

/** Rows per transaction, as retention does. */
const CHUNK = 200;

/** What the tombstone and the audit log know of an erased contact: this hash, not the id's data. */
export function contactHash(contactId: string): string {
  return createHash("sha256").update(`mainstay:contact:${contactId}`).digest("hex");
}

export interface Erasure {
  contactHash: string;
  erasedAt: number;
  erasedBy: string;
  summary: { conversations: number; messages: number; events: number; identities: number };
}

export async function erasureOf(db: Executor, contactId: string): Promise<Erasure | undefined> {
  const row = await db.get<{
    contact_hash: string;
    erased_at: number;
    erased_by: string;
    summary: string;
  }>("SELECT * FROM contact_erasures WHERE contact_hash = ?", [contactHash(contactId)]);
  return (
    row && {
      contactHash: row.contact_hash,
      erasedAt: Number(row.erased_at),
      erasedBy: row.erased_by,
      summary: JSON.parse(row.summary) as Erasure["summary"],
    }
  );
}

/**
 * The contact and every contact merged into it (and not unmerged), transitively: a merged
 * contact keeps its row (and name) after its identities and conversations moved.
 */
export async function linkedContactIds(db: Executor, contactId: string): Promise<string[]> {
  const found = [contactId];
  for (let i = 0; i < found.length; i++) {
    const sources = await db.all<{ source_contact_id: string }>(
      "SELECT source_contact_id FROM contact_merges WHERE target_contact_id = ? AND undone_at IS NULL",
      [found[i]!],
    );
    for (const { source_contact_id } of sources) {
      if (!found.includes(source_contact_id)) found.push(source_contact_id);
    }
  }
  return found;
}

const parse = (text: string) => JSON.parse(text) as Record<string, unknown>;

/** Redact rows `select` finds, CHUNK per transaction, until it finds none; returns the count. */
async function inChunks<Row>(
  store: Store,
  select: (tx: Executor) => Promise<Row[]>,
  redact: (tx: Executor, row: Row) => Promise<void>,
): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await store.transaction(async (tx) => {
      const rows = await select(tx.db);
      for (const row of rows) await redact(tx.db, row);
      return rows.length;
    });
    total += n;
    if (n < CHUNK) return total;
  }
}

/** A conversation's messages, events, traces, turn texts, notes, labels and feedback data. */
async function eraseConversation(store: Store, conversationId: string, now: number) {
  const messages = await inChunks(
    store,
    (db) =>
      db.all<{ id: string; meta: string }>(
        `SELECT id, meta FROM messages WHERE conversation_id = ?
         AND (text <> '' OR attachments <> '[]' OR meta NOT LIKE '%"purged":{"erased":%') LIMIT ${CHUNK}`,
        [conversationId],
      ),
    (db, m) =>
      db
        .run(
          "UPDATE messages SET text = '', attachments = '[]', error = NULL, meta = ? WHERE id = ?",
          [JSON.stringify(erasedMessageMeta(parse(m.meta), now)), m.id],
        )
        .then(() => undefined),
  );
  const events = await inChunks(
    store,
    (db) =>
      db.all<{ seq: number; data: string }>(
        `SELECT seq, data FROM events WHERE conversation_id = ? AND data NOT LIKE '%"purged":{"erased":%'
         ORDER BY seq LIMIT ${CHUNK}`,
        [conversationId],
      ),
    (db, e) =>
      db
        .run("UPDATE events SET data = ? WHERE seq = ?", [
          JSON.stringify(erasedEventData(parse(e.data), now)),
          Number(e.seq),
        ])
        .then(() => undefined),
  );
  await store.transaction(async (tx) => {
    await tx.db.run("DELETE FROM turn_traces WHERE conversation_id = ?", [conversationId]);
    await tx.db.run(
      "UPDATE agent_turns SET shadow_text = NULL, error = NULL WHERE conversation_id = ?",
      [conversationId],
    );
    await tx.db.run("DELETE FROM conversation_notes WHERE conversation_id = ?", [conversationId]);
    await tx.db.run("DELETE FROM conversation_labels WHERE conversation_id = ?", [conversationId]);
    await tx.db.run("UPDATE outcome_events SET data = '{}' WHERE conversation_id = ?", [
      conversationId,
    ]);
  });
  return { messages, events };
}

/**
 * Erase a person across every identity linked to the contact: texts, attachments,
 * evidence, names and addresses go for good; ids, counts, aggregate figures and consent
 * states stay, and a tombstone records the erasure. The contact row stays (nameless) so
 * consent rows keyed by it hold. Refused while a legal hold covers the contact or one of
 * its conversations. Chunked: a run cut short is finished by running it again.
 */
export async function eraseContact(
  store: Store,
  contactId: string,
  actor: string,
  now: number,
): Promise<Erasure> {
  if (!(await store.db.get("SELECT id FROM contacts WHERE id = ?", [contactId]))) {
    throw new MainstayError("MS_NOT_FOUND", `contact ${contactId} not found`, 404);
  }
  if (await erasureOf(store.db, contactId)) {
    throw new MainstayError("MS_CONTACT_ERASED", `contact ${contactId} was already erased`, 409);
  }
  const holds = await activeHoldsOn(store.db, contactId);
  if (holds.length > 0) {
    throw new MainstayError(
      "MS_LEGAL_HOLD",
      `contact ${contactId} is under legal hold (${holds.map((h) => h.id).join(", ")}); lift it first`,
      409,
    );
  }
  const conversations = await store.db.all<{ id: string }>(
    "SELECT id FROM conversations WHERE contact_id = ? ORDER BY id",
    [contactId],
  );
  let messages = 0;
  let events = 0;
  for (const { id } of conversations) {
    const erased = await eraseConversation(store, id, now);
    messages += erased.messages;
    events += erased.events;
  }
  return store.transaction(async (tx) => {
    // A hold placed while the conversations were erased: stop before the tombstone.
    if ((await activeHoldsOn(tx.db, contactId)).length > 0) {
      throw new MainstayError("MS_LEGAL_HOLD", `contact ${contactId} was put on legal hold`, 409);
    }
    const linked = await linkedContactIds(tx.db, contactId);
    const inLinked = `IN (${linked.map(() => "?").join(", ")})`;
    const { changes: identities } = await tx.db.run(
      `UPDATE identities SET address = 'erased:' || id, phone = NULL WHERE contact_id ${inLinked}`,
      linked,
    );
    for (const id of linked) {
      await tx.db.run("UPDATE contacts SET display_name = NULL, updated_at = ? WHERE id = ?", [
        now,
        id,
      ]);
    }
    // Consent rows stay, address included, so an opt-out still holds; only evidence texts go.
    for (const table of CONSENT_TABLES) {
      const consent = await tx.db.all<{ seq: number; evidence: string }>(
        `SELECT seq, evidence FROM ${table} WHERE contact_id ${inLinked}`,
        linked,
      );
      for (const c of consent) {
        await tx.db.run(`UPDATE ${table} SET evidence = ? WHERE seq = ?`, [
          JSON.stringify(erasedConsentEvidence(parse(c.evidence))),
          Number(c.seq),
        ]);
      }
    }
    await tx.db.run(
      "UPDATE contact_merges SET reason = '[erased]' WHERE target_contact_id = ? OR source_contact_id = ?",
      [contactId, contactId],
    );
    const erasure: Erasure = {
      contactHash: contactHash(contactId),
      erasedAt: now,
      erasedBy: actor,
      summary: { conversations: conversations.length, messages, events, identities },
    };
    await tx.db.run(
      "INSERT INTO contact_erasures (contact_hash, erased_at, erased_by, summary) VALUES (?, ?, ?, ?)",
      [erasure.contactHash, now, actor, JSON.stringify(erasure.summary)],
    );
    // Ids, a hash and counts only: the log is never rewritten, so it must hold nothing to erase.
    await appendAudit(
      tx,
      {
        actor,
        action: "contact.erase",
        target: contactId,
        data: { contactHash: erasure.contactHash, ...erasure.summary },
      },
      now,
    );
    return erasure;
  });
}
