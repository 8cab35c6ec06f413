import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Store } from "../../src/store/index.ts";
import { backends, openBackendStore } from "../support/backends.ts";
import { storedConversation } from "./stored-conversation.ts";

// Assignment, closing, notes, labels and canned responses: the same on every engine.
for (const backend of backends) {
  describe(`inbox store: ${backend.name}`, () => {
    let store: Store;
    let close: () => Promise<void>;
    const now = Date.UTC(2026, 0, 1);
    before(async () => {
      ({ store, close } = await openBackendStore(backend, now));
    });
    after(() => close?.());

    const ids = (list: { id: string }[]) => list.map((c) => c.id);

    it("assigns and filters by assignee, nobody included", async () => {
      const a = await storedConversation(store, "Ada", "+15550101", ["hi"], now);
      const b = await storedConversation(store, "Bob", "+15550102", ["hello"], now);
      assert.equal((await store.conversations.get(a.id))?.assignee, null);
      assert.deepEqual(await store.conversations.assign(a.id, "ana", now + 1), { previous: null });
      assert.deepEqual(await store.conversations.assign(a.id, "sam", now + 2), {
        previous: "ana",
      });
      assert.equal(await store.conversations.assign("conv_nope", "sam", now), undefined);
      const got = await store.conversations.get(a.id);
      assert.equal(got?.assignee, "sam");
      assert.equal(got?.updatedAt, now + 2);
      assert.deepEqual(ids(await store.conversations.list({ assignee: "sam", limit: 10 })), [a.id]);
      assert.deepEqual(ids(await store.conversations.list({ assignee: null, limit: 10 })), [b.id]);
      // With a search too (the search walks the same filters).
      assert.deepEqual(
        ids(await store.conversations.list({ assignee: "sam", search: "ada", limit: 10 })),
        [a.id],
      );
      await store.conversations.assign(a.id, null, now + 3);
      assert.deepEqual(ids(await store.conversations.list({ assignee: "sam", limit: 10 })), []);
    });

    it("closes with a resolution and reopens", async () => {
      const c = await storedConversation(store, "Cy", "+15550103", ["bye"], now);
      await store.conversations.close(c.id, "resolved", now + 5);
      let got = await store.conversations.get(c.id);
      assert.equal(got?.state, "closed");
      assert.equal(got?.resolution, "resolved");
      assert.equal(await store.conversations.findOpen(c.identityId, "api"), undefined);
      await store.conversations.reopen(c.id, "human", now + 6);
      got = await store.conversations.get(c.id);
      assert.equal(got?.state, "human");
      assert.equal(got?.resolution, null);
      assert.equal((await store.conversations.findOpen(c.identityId, "api"))?.id, c.id);
    });

    it("keeps notes in order, apart from the messages", async () => {
      const c = await storedConversation(store, "Di", "+15550104", ["help"], now);
      const first = await store.conversationNotes.add(
        { conversationId: c.id, author: "ana", text: "VIP customer" },
        now,
      );
      await store.conversationNotes.add(
        { conversationId: c.id, author: "sam", text: "refund approved" },
        now + 1,
      );
      const notes = await store.conversationNotes.list(c.id, 10);
      assert.deepEqual(
        notes.map((n) => [n.author, n.text]),
        [
          ["ana", "VIP customer"],
          ["sam", "refund approved"],
        ],
      );
      assert.equal(notes[0]?.id, first.id);
      assert.equal((await store.conversationNotes.list(c.id, 10, first.id)).length, 1);
      assert.equal((await store.messages.list(c.id, undefined, 10)).length, 1, "not a message");
    });

    it("labels conversations, filters by label and counts labels in use", async () => {
      const e = await storedConversation(store, "Eve", "+15550105", ["order late"], now);
      const f = await storedConversation(store, "Fay", "+15550106", ["refund"], now);
      assert.equal(await store.conversationLabels.add(e.id, "billing", now), true);
      assert.equal(await store.conversationLabels.add(e.id, "billing", now), false);
      await store.conversationLabels.add(e.id, "vip", now);
      await store.conversationLabels.add(f.id, "billing", now);
      assert.deepEqual(await store.conversationLabels.of(e.id), ["billing", "vip"]);
      assert.deepEqual(ids(await store.conversations.list({ label: "billing", limit: 10 })), [
        f.id,
        e.id,
      ]);
      assert.deepEqual(
        ids(await store.conversations.list({ label: "billing", search: "refund", limit: 10 })),
        [f.id],
      );
      assert.deepEqual(await store.conversationLabels.inUse(10), [
        { label: "billing", conversations: 2 },
        { label: "vip", conversations: 1 },
      ]);
      const summaries = await store.conversations.summaries([e]);
      assert.deepEqual(summaries.get(e.id)?.labels, ["billing", "vip"]);
      assert.deepEqual(summaries.get(e.id)?.identity, { address: "+15550105", phone: null });
      assert.equal(await store.conversationLabels.remove(e.id, "vip"), true);
      assert.equal(await store.conversationLabels.remove(e.id, "vip"), false);
      assert.deepEqual(ids(await store.conversations.list({ label: "vip", limit: 10 })), []);
    });

    it("keeps canned responses with unique shortcuts", async () => {
      const hours = await store.cannedResponses.create(
        { shortcut: "hours", text: "We are open 9-17.", createdBy: "admin" },
        now,
      );
      assert.ok(hours);
      assert.equal(
        await store.cannedResponses.create(
          { shortcut: "hours", text: "again", createdBy: "admin" },
          now,
        ),
        undefined,
      );
      await store.cannedResponses.create(
        { shortcut: "thanks", text: "Thank you!", createdBy: "admin" },
        now,
      );
      assert.deepEqual(
        (await store.cannedResponses.list(10)).map((r) => r.shortcut),
        ["hours", "thanks"],
      );
      assert.equal(
        await store.cannedResponses.update(
          hours.id,
          { shortcut: "opening", text: "Open 9-18." },
          now + 1,
        ),
        true,
      );
      const got = await store.cannedResponses.get(hours.id);
      assert.deepEqual(
        [got?.shortcut, got?.text, got?.updatedAt, got?.createdAt],
        ["opening", "Open 9-18.", now + 1, now],
      );
      assert.equal((await store.cannedResponses.findByShortcut("opening"))?.id, hours.id);
      assert.equal(await store.cannedResponses.remove(hours.id), true);
      assert.equal(await store.cannedResponses.remove(hours.id), false);
      assert.equal(await store.cannedResponses.get(hours.id), undefined);
    });
  });
}
