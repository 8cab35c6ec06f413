import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pino from "pino";
import type { Agent, AgentContext } from "../../src/agents/index.ts";
import { agentRuntime } from "../../src/agents/index.ts";
import { type ConversationService, PROCESS_JOB } from "../../src/conversations/index.ts";
import type { Job } from "../../src/jobs/index.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import type { Store } from "../../src/store/index.ts";
import { backends } from "../support/backends.ts";
import { auth, signedWebhook, startTestApp, type TestApp } from "../support/test-app.ts";
import { openTestService } from "../support/test-service.ts";

for (const backend of backends) {
  describe(`contacts API: ${backend.name}`, () => {
    let app: TestApp;
    let cleanup: () => Promise<void>;

    before(async () => {
      const created = await backend.create();
      cleanup = created.cleanup;
      app = await startTestApp({ store: created.options });
    });
    after(async () => {
      await app?.dispose();
      await cleanup?.();
    });

    const get = (url: string) => app.app.inject({ url, headers: auth });
    const post = (url: string, payload: unknown) =>
      app.app.inject({ method: "POST", url, payload: payload as object, headers: auth });

    /** A customer writes on the generic channel; returns their conversation and contact. */
    async function customer(from: string, text = "Hello") {
      const res = await app.app.inject(signedWebhook({ id: `ext-${from}`, from, text }));
      assert.equal(res.statusCode, 202);
      const { conversationId } = res.json();
      const conversation = (await get(`/api/v1/conversations/${conversationId}`)).json();
      return { conversationId: conversationId as string, contactId: conversation.contactId };
    }

    async function conversationsOf(contactId: string): Promise<string[]> {
      const res = await get(`/api/v1/conversations?contact=${contactId}`);
      return res.json().data.map((c: { id: string }) => c.id);
    }

    it("requires the admin key", async () => {
      const res = await app.app.inject({ url: "/api/v1/contacts" });
      assert.equal(res.statusCode, 401);
      const merge = await app.app.inject({
        method: "POST",
        url: "/api/v1/contacts/ct_x/merge",
        payload: { contactId: "ct_y" },
      });
      assert.equal(merge.statusCode, 401);
    });

    it("lists contacts newest first and finds one by address in any phone notation", async () => {
      const ada = await customer("+15550201");
      const bob = await customer("+15550202");
      const page = (await get("/api/v1/contacts?limit=1")).json();
      assert.deepEqual(
        page.data.map((c: { id: string }) => c.id),
        [bob.contactId],
      );
      const next = (await get(`/api/v1/contacts?limit=1&cursor=${page.nextCursor}`)).json();
      assert.deepEqual(
        next.data.map((c: { id: string }) => c.id),
        [ada.contactId],
      );
      for (const address of ["+15550201", "1 (555) 0201"]) {
        const found = (await get(`/api/v1/contacts?address=${encodeURIComponent(address)}`)).json();
        assert.deepEqual(
          found.data.map((c: { id: string }) => c.id),
          [ada.contactId],
          address,
        );
      }
      const none = (await get("/api/v1/contacts?address=nobody%40example.com")).json();
      assert.deepEqual(none, { data: [], nextCursor: null });
    });

    it("shows a contact with its identities, consent and merges", async () => {
      const ada = await customer("+15550301");
      await app.store.consent.record(
        {
          contactId: ada.contactId,
          identityId: null,
          purpose: "service",
          scope: "address",
          channelId: "api",
          address: "+15550301",
          state: "opted_out",
          evidence: { keyword: "STOP" },
        },
        1,
      );
      const res = await get(`/api/v1/contacts/${ada.contactId}`);
      assert.equal(res.statusCode, 200);
      const contact = res.json();
      assert.equal(contact.id, ada.contactId);
      assert.equal(contact.identities.length, 1);
      const { channelType, address, phone } = contact.identities[0];
      assert.deepEqual(
        { channelType, address, phone },
        { channelType: "generic", address: "+15550301", phone: null },
      );
      assert.deepEqual(contact.consent.current, [
        {
          purpose: "service",
          scope: "address",
          channelId: "api",
          address: "+15550301",
          state: "opted_out",
          since: new Date(1).toISOString(),
        },
      ]);
      assert.equal(contact.consent.history.length, 1);
      assert.deepEqual(contact.consent.history[0].evidence, { keyword: "STOP" });
      assert.deepEqual(contact.merges, []);
    });

    it("merges one contact into another and unmerges exactly, once", async () => {
      const ada = await customer("+15550401");
      const adaByEmail = await customer("ada@example.com");
      const res = await post(`/api/v1/contacts/${ada.contactId}/merge`, {
        contactId: adaByEmail.contactId,
        reason: "same person, confirmed on the phone",
      });
      assert.equal(res.statusCode, 200);
      const merge = res.json();
      assert.match(merge.id, /^merge_/);
      assert.equal(merge.targetContactId, ada.contactId);
      assert.equal(merge.sourceContactId, adaByEmail.contactId);
      assert.deepEqual(merge.conversationIds, [adaByEmail.conversationId]);
      assert.equal(merge.identityIds.length, 1);
      assert.equal(merge.undoneAt, null);

      assert.deepEqual(await conversationsOf(ada.contactId), [
        adaByEmail.conversationId,
        ada.conversationId,
      ]);
      assert.deepEqual(await conversationsOf(adaByEmail.contactId), []);
      const merged = (await get(`/api/v1/contacts/${ada.contactId}`)).json();
      assert.deepEqual(merged.identities.map((i: { address: string }) => i.address).sort(), [
        "+15550401",
        "ada@example.com",
      ]);
      assert.deepEqual(
        merged.merges.map((m: { id: string }) => m.id),
        [merge.id],
      );
      const detail = (await get(`/api/v1/conversations/${adaByEmail.conversationId}`)).json();
      const event = detail.events.find((e: { type: string }) => e.type === "contact.merged");
      assert.deepEqual(event?.data, {
        mergeId: merge.id,
        fromContactId: adaByEmail.contactId,
        toContactId: ada.contactId,
      });

      const undo = await post(`/api/v1/contacts/${ada.contactId}/unmerge`, { mergeId: merge.id });
      assert.equal(undo.statusCode, 200);
      assert.notEqual(undo.json().undoneAt, null);
      assert.deepEqual(await conversationsOf(ada.contactId), [ada.conversationId]);
      assert.deepEqual(await conversationsOf(adaByEmail.contactId), [adaByEmail.conversationId]);
      const restored = (await get(`/api/v1/contacts/${adaByEmail.contactId}`)).json();
      assert.deepEqual(
        restored.identities.map((i: { id: string }) => i.id),
        merge.identityIds,
      );
      const after = (await get(`/api/v1/conversations/${adaByEmail.conversationId}`)).json();
      assert.ok(after.events.some((e: { type: string }) => e.type === "contact.unmerged"));

      const again = await post(`/api/v1/contacts/${ada.contactId}/unmerge`, { mergeId: merge.id });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().error.code, "MS_MERGE_UNDONE");
    });

    it("refuses a merge into itself and unknown contacts or merges", async () => {
      const ada = await customer("+15550501");
      const self = await post(`/api/v1/contacts/${ada.contactId}/merge`, {
        contactId: ada.contactId,
      });
      assert.equal(self.statusCode, 400);
      assert.equal(self.json().error.code, "MS_MERGE_SELF");
      for (const [url, body] of [
        ["/api/v1/contacts/ct_unknown/merge", { contactId: ada.contactId }],
        [`/api/v1/contacts/${ada.contactId}/merge`, { contactId: "ct_unknown" }],
        [`/api/v1/contacts/${ada.contactId}/unmerge`, { mergeId: "merge_unknown" }],
      ] as const) {
        const res = await post(url, body);
        assert.equal(res.statusCode, 404, url);
        assert.equal(res.json().error.code, "MS_NOT_FOUND");
      }
      assert.equal((await get("/api/v1/contacts/ct_unknown")).statusCode, 404);
      const bad = await post(`/api/v1/contacts/${ada.contactId}/merge`, {});
      assert.equal(bad.statusCode, 400);
      assert.match(bad.json().error.message, /^body\.contactId/);
    });
  });

  describe(`one customer across channels: ${backend.name}`, () => {
    let store: Store;
    let service: ConversationService;
    let cleanup: () => Promise<void>;
    const clock = new ManualClock();

    before(async () => {
      const created = await backend.create();
      cleanup = created.cleanup;
      ({ store, service } = await openTestService(clock, created.options));
    });
    after(async () => {
      await store?.close();
      await cleanup?.();
    });

    it("links a verified phone and gives the agent the other channel's turns", async () => {
      const whatsapp = { id: "wa", type: "whatsapp" };
      const receive = (channel: { id: string; type: string }, from: string, text: string) => {
        clock.advance(1000);
        return service.receive(channel, {
          providerMessageId: null,
          from,
          phone: from,
          text,
        });
      };
      const first = await receive(whatsapp, "15551234567", "My order 42 is late");
      const long = "x".repeat(2000);
      await receive(whatsapp, "15551234567", long);
      const sms = await receive({ id: "sms", type: "sms" }, "+1 555 123 4567", "Any news?");
      const newer = await receive(whatsapp, "15551234567", "Hello again");
      assert.equal(newer.conversationId, first.conversationId);

      const smsConversation = (await store.conversations.get(sms.conversationId))!;
      const waConversation = (await store.conversations.get(first.conversationId))!;
      assert.equal(smsConversation.contactId, waConversation.contactId);
      const identities = await store.contacts.identitiesOf(smsConversation.contactId);
      assert.deepEqual(
        identities.map((i) => [i.channelType, i.phone]),
        [
          ["whatsapp", "+15551234567"],
          ["sms", "+15551234567"],
        ],
      );
      const linked = (await store.events.list(sms.conversationId)).find(
        (e) => e.type === "contact.linked",
      );
      assert.ok(linked);
      const mergeId = (linked.data["evidence"] as { mergeId: string }).mergeId;
      assert.deepEqual(linked.data, {
        identityId: smsConversation.identityId,
        contactId: smsConversation.contactId,
        evidence: {
          by: "verified_phone",
          phone: "+15551234567",
          otherIdentityId: identities[0]!.id,
          mergeId,
        },
      });
      // The automatic link is a recorded merge, undone like any other.
      const merge = await store.contactMerges.get(mergeId);
      assert.equal(merge?.targetContactId, smsConversation.contactId);
      assert.deepEqual(merge?.identityIds, [smsConversation.identityId]);
      assert.match(merge?.reason ?? "", /^automatic: verified phone \+15551234567/);

      const seen: AgentContext[] = [];
      const agent: Agent = {
        id: "support",
        version: "1",
        async respond(context) {
          seen.push(context);
          return { text: "Checking" };
        },
      };
      const runtime = agentRuntime({
        service,
        agentFor: async () => ({ agent }),
        clock,
        logger: pino({ level: "silent" }),
      });
      const payload = { conversationId: sms.conversationId, messageId: sms.messageId };
      await runtime.run({ kind: PROCESS_JOB, payload } as unknown as Job);

      assert.equal(seen.length, 1);
      assert.equal(seen[0]!.conversationId, sms.conversationId);
      assert.equal(seen[0]!.text, "Any news?");
      const history = seen[0]!.history;
      assert.deepEqual(history[0], { role: "customer", text: "My order 42 is late" });
      assert.equal(history.length, 2, "the current message and newer ones are left out");
      assert.equal(Array.from(history[1]!.text).length, 500);
      assert.ok(history[1]!.text.endsWith("…"));
    });

    it("never links identities on a name or an unverified number", async () => {
      const text = "hi";
      const a = await service.receive(
        { id: "wa", type: "whatsapp" },
        { providerMessageId: null, from: "15557654321", displayName: "Sam", text },
      );
      const b = await service.receive(
        { id: "sms", type: "sms" },
        { providerMessageId: null, from: "+15557654321", displayName: "Sam", text },
      );
      const c = await service.receive(
        { id: "web", type: "webchat" },
        { providerMessageId: null, from: "session-1", phone: "not a number", text },
      );
      const contacts = await Promise.all(
        [a, b, c].map(async (r) => (await store.conversations.get(r.conversationId))!.contactId),
      );
      assert.equal(new Set(contacts).size, 3);
    });
  });
}
