import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { newId } from "../../src/shared/ids.ts";
import { latestMigration, type Store, toE164 } from "../../src/store/index.ts";
import { backends, openBackendStore } from "../support/backends.ts";

// One suite, every storage engine (STYLE.md habit 5).
for (const backend of backends) {
  describe(`store contract: ${backend.name}`, () => {
    let store: Store;
    let close: () => Promise<void>;
    const now = Date.UTC(2026, 0, 1);

    before(async () => {
      ({ store, close } = await openBackendStore(backend, now));
    });
    after(() => close?.());

    async function newConversation(address = newId("addr")) {
      return store.transaction(async (tx) => {
        const identity = await tx.contacts.resolveIdentity("generic", address, "Ada", now);
        return tx.conversations.create(
          {
            contactId: identity.contactId,
            identityId: identity.id,
            channelId: "api",
            channelType: "generic",
            agentId: "support",
            agentVersion: "1",
          },
          now,
        );
      });
    }

    it("applies migrations once and reports them", async () => {
      assert.deepEqual(await store.check(), { migration: latestMigration });
    });

    it("gives one contact per (channel type, address)", async () => {
      const a = await store.contacts.resolveIdentity("generic", "+15550100", null, now);
      const b = await store.contacts.resolveIdentity("generic", "+15550100", "X", now);
      const c = await store.contacts.resolveIdentity("webchat", "+15550100", null, now);
      assert.equal(a.id, b.id);
      assert.equal(a.contactId, b.contactId);
      assert.notEqual(a.contactId, c.contactId);
    });

    it("stores an inbound message once per (channel, provider id)", async () => {
      const conversation = await newConversation();
      const message = {
        conversationId: conversation.id,
        channelId: "api",
        direction: "inbound" as const,
        author: "customer" as const,
        text: "hello",
        status: "received" as const,
        providerMessageId: "vendor-1",
      };
      // The insert returns the row as stored: what a read right after it would find.
      const stored = await store.messages.insert({ ...message, id: newId("msg") }, now);
      assert.equal(await store.messages.insert({ ...message, id: newId("msg") }, now), undefined);
      // The same vendor id on another channel is another message.
      const other = { ...message, id: newId("msg"), channelId: "other" };
      assert.equal((await store.messages.insert(other, now))?.channelId, "other");
      const found = await store.messages.findInbound("api", "vendor-1");
      assert.equal(found?.text, "hello");
      assert.deepEqual(stored, found);
    });

    it("rolls back every write of a failed transaction", async () => {
      const address = newId("addr");
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.contacts.resolveIdentity("generic", address, null, now);
          throw new Error("boom");
        }),
        /boom/,
      );
      assert.equal(await store.contacts.findIdentity("generic", address), undefined);
    });

    it("moves message status forward only, stamping times", async () => {
      const conversation = await newConversation();
      const id = newId("msg");
      await store.messages.insert(
        {
          id,
          conversationId: conversation.id,
          channelId: "api",
          direction: "outbound",
          author: "agent",
          text: "hi",
          status: "queued",
          meta: { inReplyTo: "x" },
        },
        now,
      );
      assert.equal(
        await store.messages.advanceStatus(id, "delivered", now + 5, { providerMessageId: "p1" }),
        true,
      );
      assert.equal(await store.messages.advanceStatus(id, "sent", now + 9), false);
      const message = await store.messages.get(id);
      assert.equal(message?.status, "delivered");
      assert.equal(message?.deliveredAt, now + 5);
      assert.equal(message?.providerMessageId, "p1");
      assert.deepEqual(message?.meta, { inReplyTo: "x" });
      assert.equal((await store.messages.findOutboundByProviderId("api", "p1"))?.id, id);
    });

    it("keeps the event log append-only", async () => {
      const conversation = await newConversation();
      await store.events.append(conversation.id, "test.one", { n: 1 }, now);
      await store.events.append(conversation.id, "test.two", { n: 2 }, now);
      const events = await store.events.list(conversation.id);
      assert.deepEqual(
        events.map((e) => [e.type, e.data]),
        [
          ["test.one", { n: 1 }],
          ["test.two", { n: 2 }],
        ],
      );
      await assert.rejects(store.db.run("UPDATE events SET type = 'x'"), /append-only/);
      await assert.rejects(store.db.run("DELETE FROM events"), /append-only/);
    });

    it("lists conversations newest first with filters and a cursor", async () => {
      const created = [];
      for (let i = 0; i < 5; i++) created.push(await newConversation());
      await store.conversations.setState(created[1]!.id, "human", now);
      const page1 = await store.conversations.list({ limit: 2 });
      assert.deepEqual(
        page1.map((c) => c.id),
        [created[4]!.id, created[3]!.id],
      );
      const page2 = await store.conversations.list({ limit: 2, before: page1[1]!.id });
      assert.deepEqual(
        page2.map((c) => c.id),
        [created[2]!.id, created[1]!.id],
      );
      const human = await store.conversations.list({ limit: 10, state: "human" });
      assert.deepEqual(
        human.map((c) => c.id),
        [created[1]!.id],
      );
      const open = await store.conversations.findOpen(created[0]!.identityId, "api");
      assert.equal(open?.id, created[0]!.id);
    });

    it("normalises verified phones to E.164 and refuses what is not one", () => {
      assert.equal(toE164("15551234567"), "+15551234567");
      assert.equal(toE164("+1 (555) 123-4567"), "+15551234567");
      assert.equal(toE164("+44 20 7946 0958"), "+442079460958");
      for (const bad of ["", "+", "0155512345", "555-CALL", "+1234567890123456", "abc@x.io"]) {
        assert.equal(toE164(bad), undefined, bad);
      }
    });

    it("finds another channel's identity by verified phone, and moves identities", async () => {
      const phone = `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
      const whatsapp = await store.contacts.createIdentity(
        { channelType: "whatsapp", address: phone.slice(1), phone, displayName: "Ada" },
        now,
      );
      assert.ok(whatsapp);
      assert.equal(whatsapp.phone, phone);
      // Only another channel type's identity is a match.
      assert.equal(await store.contacts.findByPhone(phone, "whatsapp"), undefined);
      const other = await store.contacts.findByPhone(phone, "sms");
      assert.equal(other?.id, whatsapp.id);
      const sms = await store.contacts.createIdentity(
        { channelType: "sms", address: phone, phone, displayName: null },
        now,
      );
      await store.contacts.moveIdentities([sms!.id], other!.contactId, now);
      assert.deepEqual(
        (await store.contacts.identitiesOf(whatsapp.contactId)).map((i) => i.id).sort(),
        [whatsapp.id, sms!.id].sort(),
      );
      // A second create of the same (channel type, address) creates nothing.
      const again = await store.contacts.createIdentity(
        { channelType: "sms", address: phone, phone, displayName: null },
        now,
      );
      assert.equal(again, undefined);
    });

    it("finds contacts by address, exactly or as a normalised phone", async () => {
      const digits = String(Math.floor(Math.random() * 1e7)).padStart(7, "0");
      const phoneIdentity = await store.contacts.createIdentity(
        {
          channelType: "whatsapp",
          address: `1444${digits}`,
          phone: `+1444${digits}`,
          displayName: null,
        },
        now,
      );
      const email = await store.contacts.resolveIdentity(
        "email",
        `${digits}@example.com`,
        null,
        now,
      );
      const byPhone = await store.contacts.list({ address: `+1 444 ${digits}`, limit: 10 });
      assert.deepEqual(
        byPhone.map((c) => c.id),
        [phoneIdentity!.contactId],
      );
      const byEmail = await store.contacts.list({ address: `${digits}@example.com`, limit: 10 });
      assert.deepEqual(
        byEmail.map((c) => c.id),
        [email.contactId],
      );
      assert.deepEqual(await store.contacts.list({ address: "nobody@example.com", limit: 10 }), []);
      const newest = await store.contacts.list({ limit: 2 });
      assert.equal(newest[0]?.id, email.contactId);
      const older = await store.contacts.list({ limit: 1, before: newest[0]!.id });
      assert.deepEqual(older, [newest[1]]);
    });

    it("moves identities with their conversations to another contact", async () => {
      const a = await newConversation();
      const b = await newConversation();
      const moved = await store.transaction((tx) =>
        tx.contacts.moveIdentities([b.identityId], a.contactId, now + 1),
      );
      assert.deepEqual(moved.conversationIds, [b.id]);
      assert.equal((await store.contacts.getIdentity(b.identityId))?.contactId, a.contactId);
      assert.equal((await store.conversations.get(b.id))?.contactId, a.contactId);
      const ofA = await store.conversations.list({ contactId: a.contactId, limit: 10 });
      assert.deepEqual(
        ofA.map((c) => c.id),
        [b.id, a.id],
      );
      assert.deepEqual(await store.contacts.identitiesOf(b.contactId), []);
    });

    it("records a merge and marks it undone once", async () => {
      const a = await newConversation();
      const b = await newConversation();
      const merge = await store.contactMerges.create(
        {
          targetContactId: a.contactId,
          sourceContactId: b.contactId,
          identityIds: [b.identityId],
          conversationIds: [b.id],
          reason: "same customer",
        },
        now,
      );
      assert.deepEqual(await store.contactMerges.get(merge.id), merge);
      assert.deepEqual(await store.contactMerges.listFor(a.contactId), [merge]);
      assert.deepEqual(await store.contactMerges.listFor(b.contactId), [merge]);
      assert.equal(await store.contactMerges.markUndone(merge.id, now + 5), true);
      assert.equal(await store.contactMerges.markUndone(merge.id, now + 6), false);
      assert.equal((await store.contactMerges.get(merge.id))?.undoneAt, now + 5);
    });

    it("reads the consent ledger: the latest entry per series holds", async () => {
      const conversation = await newConversation();
      const identity = (await store.contacts.getIdentity(conversation.identityId))!;
      const entry = (purpose: "service" | "marketing", scope: "address" | "all") => ({
        contactId: identity.contactId,
        identityId: identity.id,
        purpose,
        scope,
        channelId: "api",
        address: identity.address,
        evidence: { messageId: "msg_1", rule: "keyword", keyword: "stop" },
      });
      await store.consent.record({ ...entry("service", "address"), state: "opted_out" }, now + 1);
      await store.consent.record({ ...entry("service", "address"), state: "opted_in" }, now + 2);
      await store.consent.record({ ...entry("marketing", "all"), state: "opted_out" }, now + 3);
      const here = { contactId: identity.contactId, channelId: "api", address: identity.address };
      const inForce = await store.consent.inForce(here);
      assert.deepEqual(
        inForce.map((e) => [e.purpose, e.scope, e.state]),
        [
          ["service", "address", "opted_in"],
          ["marketing", "all", "opted_out"],
        ],
      );
      assert.deepEqual(inForce[1]?.evidence, {
        messageId: "msg_1",
        rule: "keyword",
        keyword: "stop",
      });
      // Another channel of the same contact: only the contact-wide entry covers it.
      const elsewhere = await store.consent.inForce({ ...here, channelId: "email" });
      assert.deepEqual(
        elsewhere.map((e) => [e.purpose, e.scope]),
        [["marketing", "all"]],
      );
      const history = await store.consent.history(identity.contactId);
      assert.deepEqual(
        history.map((e) => [e.purpose, e.state, e.createdAt]),
        [
          ["service", "opted_out", now + 1],
          ["service", "opted_in", now + 2],
          ["marketing", "opted_out", now + 3],
        ],
      );
    });

    it("gives a contact's latest messages over all its conversations, oldest first", async () => {
      const a = await newConversation();
      const b = await newConversation();
      await store.contacts.moveIdentities([b.identityId], a.contactId, now);
      const ids: string[] = [];
      for (const [conversation, text] of [
        [a, "one"],
        [b, "two"],
        [a, "three"],
        [b, "four"],
      ] as const) {
        const id = newId("msg");
        ids.push(id);
        await store.messages.insert(
          {
            id,
            conversationId: conversation.id,
            channelId: "api",
            direction: "inbound",
            author: "customer",
            text,
            status: "received",
          },
          now,
        );
      }
      const texts = async (limit: number, before?: string) =>
        (await store.messages.recentForContact(a.contactId, limit, before)).map((m) => m.text);
      assert.deepEqual(await texts(10), ["one", "two", "three", "four"]);
      assert.deepEqual(await texts(2), ["three", "four"]);
      assert.deepEqual(await texts(2, ids[3]), ["two", "three"]);
    });

    it("holds a channel until the furthest Retry-After, and lets it go after", async () => {
      assert.equal(await store.channelHolds.pausedUntil("sms", now), undefined);
      await store.channelHolds.hold("sms", now + 5000, "HTTP 429", now);
      // A shorter wait learnt at the same time by another instance does not shorten it.
      await store.channelHolds.hold("sms", now + 1000, "HTTP 503", now);
      assert.equal(await store.channelHolds.pausedUntil("sms", now + 4999), now + 5000);
      assert.equal(await store.channelHolds.pausedUntil("sms", now + 5000), undefined);
      assert.equal(await store.channelHolds.pausedUntil("email", now), undefined);
      await store.channelHolds.hold("sms", now + 9000, "HTTP 429", now + 6000);
      assert.equal(await store.channelHolds.pausedUntil("sms", now + 6000), now + 9000);
    });
  });
}
