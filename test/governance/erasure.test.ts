import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { appendAudit, verifyAudit } from "../../src/audit/index.ts";
import type { ConversationService } from "../../src/conversations/index.ts";
import {
  contactHash,
  eraseContact,
  erasureOf,
  exportContact,
  liftHold,
  placeHold,
} from "../../src/governance/index.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import type { Store } from "../../src/store/index.ts";
import { backends } from "../support/backends.ts";
import { openTestService } from "../support/test-service.ts";
import { NAME, PHONE, personalTables, SECRET, seedCustomer } from "./fixtures.ts";

for (const backend of backends) {
  describe(`export and erasure: ${backend.name}`, () => {
    let store: Store;
    let service: ConversationService;
    let close: () => Promise<void>;
    const clock = new ManualClock();

    beforeEach(async () => {
      const created = await backend.create();
      const opened = await openTestService(clock, created.options);
      store = opened.store;
      service = opened.service;
      close = async () => {
        await opened.close();
        await created.cleanup();
      };
      // Entries before the erasure: the chain it must not break.
      await appendAudit(
        store,
        { actor: "admin", action: "agent.kill", target: "support" },
        clock.now(),
      );
    });
    afterEach(() => close());

    it("exports everything stored about the person, across linked identities", async () => {
      const sms = await seedCustomer(service, store);
      // The same verified phone on another channel joins the same contact.
      const web = await seedCustomer(service, store, { channel: "whatsapp" });
      assert.equal(web.contactId, sms.contactId);
      const doc = await exportContact(store, sms.contactId, "admin", clock.now());
      assert.equal(doc.format, "mainstay.contact-export.v1");
      assert.equal(doc.identities.length, 2);
      assert.equal(doc.conversations.length, 2);
      const [first] = doc.conversations;
      assert.match(String(first!.messages[0]!["text"]), new RegExp(SECRET));
      assert.equal(first!.agentTurns.length, 1);
      assert.equal(first!.turnTraces.length, 1);
      assert.ok(first!.events.some((e) => e["type"] === "guardrail.decision"));
      assert.equal((doc.consent["consentChanges"] as unknown[]).length, 2);
      assert.equal(doc.erasure, null);
      const [entry] = await store.auditLog.list({ action: "contact.export", limit: 5 });
      assert.equal(entry!.target, sms.contactId);
      assert.equal(entry!.data, "{}");
    });

    it("erases texts, names, addresses and evidence for good; consent, tombstone and chain remain", async () => {
      const a = await seedCustomer(service, store);
      await seedCustomer(service, store, { channel: "whatsapp" });
      const other = await seedCustomer(service, store, {
        from: "+15559990000",
        secret: "someone else entirely",
        name: "Bob",
      });
      clock.advance(1000);
      const erasure = await eraseContact(store, a.contactId, "admin", clock.now());
      const { events, ...counts } = erasure.summary;
      assert.deepEqual(counts, { conversations: 2, messages: 2, identities: 2 });
      assert.ok(events >= 4);

      const dump = await personalTables(store);
      assert.ok(
        !dump.includes(SECRET),
        `a text survived erasure: ${dump.slice(Math.max(0, dump.indexOf(SECRET) - 300), dump.indexOf(SECRET) + 50)}`,
      );
      assert.ok(
        !dump.includes(NAME),
        `a name survived erasure: ${dump.slice(Math.max(0, dump.indexOf(NAME) - 300), dump.indexOf(NAME) + 50)}`,
      );
      assert.ok(!dump.includes(PHONE), "an address survived erasure");
      // The other customer is untouched.
      assert.match((await store.messages.get(other.messageId))!.text, /someone else/);

      // The derived search index lost the rows too.
      if (store.dialect === "sqlite") {
        const hits = await store.db.all(
          `SELECT * FROM messages_search WHERE messages_search MATCH '"${SECRET}"'`,
        );
        assert.deepEqual(hits, []);
        const names = await store.db.all(
          `SELECT * FROM contacts_search WHERE contacts_search MATCH '"alice"'`,
        );
        assert.equal(names.length, 0);
      }
      // Conversation search (index and walk alike) finds nothing by text, name or address.
      for (const search of [SECRET, "Alice", PHONE]) {
        assert.deepEqual(await store.conversations.list({ search, limit: 10 }), []);
      }

      // Consent rows stay, their state known, their evidence text gone.
      const consent = await store.db.all<{ state: string; evidence: string }>(
        "SELECT state, evidence FROM consent_changes WHERE contact_id = ?",
        [a.contactId],
      );
      assert.equal(consent.length, 2);
      for (const c of consent) {
        assert.equal(c.state, "opted_out");
        assert.ok(!c.evidence.includes(SECRET));
        assert.match(c.evidence, /"messageId":"msg_/);
      }

      // The tombstone, found by the contact id's hash.
      const tombstone = await erasureOf(store.db, a.contactId);
      assert.equal(tombstone?.contactHash, contactHash(a.contactId));
      assert.equal(tombstone?.erasedBy, "admin");

      // Aggregates stay: the turn row (latency) and its outcome row.
      const turn = await store.db.get<{ latency_ms: number; shadow_text: string | null }>(
        "SELECT latency_ms, shadow_text FROM agent_turns WHERE id = ?",
        [a.turnId],
      );
      assert.equal(Number(turn!.latency_ms), 12);
      assert.equal(turn!.shadow_text, null);

      // The audit chain was never rewritten and still verifies.
      const verified = await verifyAudit(store);
      assert.equal(verified.ok, true, verified.reason);
      const [entry] = await store.auditLog.list({ action: "contact.erase", limit: 1 });
      assert.equal(entry!.target, a.contactId);

      // The export after erasure shows the tombstone and no text.
      const doc = await exportContact(store, a.contactId, "admin", clock.now());
      assert.ok(!JSON.stringify(doc.conversations).includes(SECRET));
      assert.ok(!JSON.stringify(doc.identities).includes(PHONE));
      assert.equal(doc.erasure?.contactHash, contactHash(a.contactId));
      assert.equal((await verifyAudit(store)).ok, true);

      await assert.rejects(eraseContact(store, a.contactId, "admin", clock.now()), {
        code: "MS_CONTACT_ERASED",
      });
    });

    it("refuses to erase under a legal hold, on the contact or one conversation", async () => {
      const a = await seedCustomer(service, store);
      const onContact = await placeHold(
        store,
        { scope: "contact", targetId: a.contactId, reason: "matter 2026-17", actor: "admin" },
        clock.now(),
      );
      await assert.rejects(eraseContact(store, a.contactId, "admin", clock.now()), {
        code: "MS_LEGAL_HOLD",
        status: 409,
      });
      await liftHold(store, onContact.id, "admin", clock.now());
      const onConversation = await placeHold(
        store,
        {
          scope: "conversation",
          targetId: a.conversationId,
          reason: "matter 2026-18",
          actor: "admin",
        },
        clock.now(),
      );
      await assert.rejects(eraseContact(store, a.contactId, "admin", clock.now()), {
        code: "MS_LEGAL_HOLD",
      });
      assert.match((await store.messages.get(a.messageId))!.text, new RegExp(SECRET));
      await liftHold(store, onConversation.id, "admin", clock.now());
      await eraseContact(store, a.contactId, "admin", clock.now());

      // Each hold placed and lifted is an audit entry, without the reason.
      const entries = await store.auditLog.list({ limit: 20 });
      const actions = entries.map((e) => e.action).reverse();
      assert.deepEqual(actions.slice(1), [
        "legal_hold.place",
        "legal_hold.lift",
        "legal_hold.place",
        "legal_hold.lift",
        "contact.erase",
      ]);
      assert.ok(entries.every((e) => !e.data.includes("matter")));
      assert.equal((await verifyAudit(store)).ok, true);
    });

    it("rejects unknown contacts and holds with stable codes", async () => {
      await assert.rejects(eraseContact(store, "ct_missing", "admin", clock.now()), {
        code: "MS_NOT_FOUND",
        status: 404,
      });
      await assert.rejects(exportContact(store, "ct_missing", "admin", clock.now()), {
        code: "MS_NOT_FOUND",
      });
      await assert.rejects(
        placeHold(store, { scope: "conversation", targetId: "conv_x", reason: "r", actor: "a" }, 0),
        { code: "MS_NOT_FOUND" },
      );
      await assert.rejects(liftHold(store, "hold_x", "a", 0), { code: "MS_NOT_FOUND" });
    });
  });
}
