import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { newId } from "../../src/shared/ids.ts";
import { latestMigration, openStore, type Store } from "../../src/store/index.ts";
import { backends } from "../support/backends.ts";

// One suite, every storage engine (STYLE.md habit 5).
for (const backend of backends) {
  describe(`store contract: ${backend.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    const now = Date.UTC(2026, 0, 1);

    before(async () => {
      const created = await backend.create();
      cleanup = created.cleanup;
      store = await openStore(created.options, now);
    });
    after(async () => {
      await store.close();
      await cleanup();
    });

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
      assert.equal(await store.messages.insert({ ...message, id: newId("msg") }, now), true);
      assert.equal(await store.messages.insert({ ...message, id: newId("msg") }, now), false);
      // The same vendor id on another channel is another message.
      assert.equal(
        await store.messages.insert({ ...message, id: newId("msg"), channelId: "other" }, now),
        true,
      );
      const found = await store.messages.findInbound("api", "vendor-1");
      assert.equal(found?.text, "hello");
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
  });
}
