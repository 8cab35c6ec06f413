import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Store } from "../../src/store/index.ts";
import { backends, openBackendStore } from "../support/backends.ts";
import { storedConversation } from "./stored-conversation.ts";

// The inbox's list: search and per-row summaries, the same on every storage engine.
for (const backend of backends) {
  describe(`conversation list: ${backend.name}`, () => {
    let store: Store;
    let close: () => Promise<void>;
    const now = Date.UTC(2026, 0, 1);
    before(async () => {
      ({ store, close } = await openBackendStore(backend, now));
    });
    after(() => close?.());

    const conversation = (name: string, address: string, texts: string[]) =>
      store.transaction((tx) => storedConversation(tx, name, address, texts, now));

    it("finds conversations by message text, name or address, wildcards taken literally", async () => {
      const ada = await conversation("Ada Lovelace", "+15550001", ["Where is ORDER 42?"]);
      const bob = await conversation("Bob", "bob@example.com", ["100% refund please", "thanks"]);
      await store.events.append(ada.id, "guardrail.decision", { findings: [] }, now);
      await store.events.append(ada.id, "guardrail.decision", { findings: [] }, now);
      const search = async (q: string) =>
        (await store.conversations.list({ search: q, limit: 10 })).map((c) => c.id);
      assert.deepEqual(await search("order 42"), [ada.id]);
      assert.deepEqual(await search("lovelace"), [ada.id]);
      assert.deepEqual(await search("EXAMPLE.COM"), [bob.id]);
      assert.deepEqual(await search("100%"), [bob.id]);
      assert.deepEqual(await search("0%r"), [], "% is not a wildcard");
      assert.deepEqual(await search("nobody"), []);

      const summaries = await store.conversations.summaries([ada, bob]);
      assert.deepEqual(summaries.get(ada.id), {
        lastMessage: { text: "Where is ORDER 42?", direction: "inbound", author: "customer" },
        findings: 2,
        contact: { id: ada.contactId, displayName: "Ada Lovelace" },
        identity: { address: "+15550001", phone: null },
        labels: [],
      });
      assert.equal(summaries.get(bob.id)?.lastMessage?.text, "thanks");
      assert.equal(summaries.get(bob.id)?.findings, 0);
    });
  });
}
