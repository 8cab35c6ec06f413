import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ConsentPurpose, ConsentScope, Conversation, Store } from "../../src/store/index.ts";
import { migrate } from "../../src/store/migrations.ts";
import { repositoriesOn } from "../../src/store/store.ts";
import { backends, openBackendStore } from "../support/backends.ts";
import { databaseAt } from "./database-at.ts";
import { storedConversation } from "./stored-conversation.ts";

const now = Date.UTC(2026, 0, 5);

for (const backend of backends) {
  describe(`consent ledger across merges: ${backend.name}`, () => {
    let store: Store;
    let close: () => Promise<void>;
    let n = 0;
    before(async () => {
      ({ store, close } = await openBackendStore(backend, now));
    });
    after(() => close?.());

    const person = () =>
      storedConversation(store, "Ada", `+1555030${String(++n).padStart(4, "0")}`, [], now);

    const optOut = (c: Conversation, purpose: ConsentPurpose, scope: ConsentScope, at: number) =>
      store.consent.record(
        {
          contactId: c.contactId,
          identityId: c.identityId,
          purpose,
          scope,
          channelId: c.channelId,
          address: `addr-${c.identityId}`,
          state: "opted_out",
          evidence: { messageId: `msg_${at}`, rule: "keyword", keyword: "stop" },
        },
        at,
      );
    const optIn = (c: Conversation, purpose: ConsentPurpose, at: number) =>
      store.consent.record(
        {
          contactId: c.contactId,
          identityId: c.identityId,
          purpose,
          scope: "all",
          channelId: c.channelId,
          address: `addr-${c.identityId}`,
          state: "opted_in",
          evidence: { messageId: `msg_${at}`, rule: "keyword", keyword: "start" },
        },
        at,
      );
    /** The contact-wide state per purpose, as the delivery gate reads it. */
    const wide = async (contactId: string) =>
      Object.fromEntries(
        (await store.consent.inForce({ contactId, channelId: "none", address: "none" })).map(
          (e) => [e.purpose, e.state],
        ),
      );

    async function merge(target: Conversation, source: Conversation, at: number) {
      return store.transaction(async (tx) => {
        const ids = (await tx.contacts.identitiesOf(source.contactId)).map((i) => i.id);
        const { conversationIds } = await tx.contacts.moveIdentities(ids, target.contactId, at);
        const created = await tx.contactMerges.create(
          {
            targetContactId: target.contactId,
            sourceContactId: source.contactId,
            identityIds: ids,
            conversationIds,
            reason: "",
          },
          at,
        );
        await tx.consent.carryOnMerge(created, at);
        return created;
      });
    }
    async function unmerge(mergeId: string, at: number) {
      await store.transaction(async (tx) => {
        const found = (await tx.contactMerges.get(mergeId))!;
        await tx.contactMerges.markUndone(mergeId, at);
        await tx.contacts.moveIdentities(found.identityIds, found.sourceContactId, at);
        await tx.consent.splitOnUnmerge(found, at);
      });
    }

    it("never opts back in on a merge: the stricter state wins", async () => {
      const target = await person();
      const source = await person();
      await optOut(source, "marketing", "all", now + 1);
      // The target opted in later than the source opted out: a merge must not let that win.
      await optOut(target, "marketing", "all", now + 2);
      await optIn(target, "marketing", now + 3);
      assert.deepEqual(await wide(target.contactId), { marketing: "opted_in" });
      const m = await merge(target, source, now + 4);
      assert.deepEqual(await wide(target.contactId), { marketing: "opted_out" });
      const carried = (await store.consent.history(target.contactId)).at(-1)!;
      assert.equal(carried.mergeId, m.id);
      assert.equal(carried.identityId, null);
      assert.equal(carried.evidence["fromContactId"], source.contactId);
    });

    it("keeps an opt-out the target already had, and carries none the source lacks", async () => {
      const target = await person();
      const source = await person();
      await optOut(target, "service", "all", now + 1);
      await merge(target, source, now + 2);
      assert.deepEqual(await wide(target.contactId), { service: "opted_out" });
      assert.equal((await store.consent.history(target.contactId)).length, 1);
    });

    it("gives each identity its own entries back on an unmerge", async () => {
      const target = await person();
      const source = await person();
      await optOut(source, "marketing", "all", now + 1);
      const m = await merge(target, source, now + 2);
      // While merged, the target's own identity opts out of service contact-wide.
      await optOut(target, "service", "all", now + 3);
      // And the source's identity (now on the target) opts back in to marketing.
      const moved = { ...source, contactId: target.contactId };
      await optIn(moved, "marketing", now + 4);
      assert.deepEqual(await wide(target.contactId), {
        service: "opted_out",
        marketing: "opted_in",
      });
      await unmerge(m.id, now + 5);
      // The target keeps only what its identity did; the carried opt-out stops counting.
      assert.deepEqual(await wide(target.contactId), { service: "opted_out" });
      // The source gets back its identity's opt-in made while merged.
      assert.deepEqual(await wide(source.contactId), { marketing: "opted_in" });
    });

    it("leaves a source without entries of its own with none after an unmerge", async () => {
      const target = await person();
      const source = await person();
      await optOut(target, "marketing", "all", now + 1);
      const m = await merge(target, source, now + 2);
      await unmerge(m.id, now + 3);
      assert.deepEqual(await wide(source.contactId), {});
      assert.deepEqual(await wide(target.contactId), { marketing: "opted_out" });
    });

    it("copies consent_changes into the ledger as service opt-outs, without the text", async () => {
      const old = await databaseAt(backend, 14, now);
      try {
        const repos = repositoriesOn(old.db);
        const c = await storedConversation(repos, "Grace", "+15550999", [], now);
        const evidence = JSON.stringify({ messageId: "msg_1", span: "STOP", detected: "x" });
        await old.db.run(
          `INSERT INTO consent_changes (channel_id, address, contact_id, state, evidence, created_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
          ["api", "+15550999", c.contactId, "opted_out", evidence, now + 1],
        );
        assert.ok((await migrate(old.db, now)).includes(15));
        const here = { contactId: c.contactId, channelId: "api", address: "+15550999" };
        const [entry, ...rest] = await repos.consent.inForce(here);
        assert.deepEqual(rest, []);
        assert.deepEqual(
          [entry?.purpose, entry?.scope, entry?.state, entry?.identityId, entry?.createdAt],
          ["service", "address", "opted_out", c.identityId, now + 1],
        );
        assert.deepEqual(entry?.evidence, { messageId: "msg_1", detected: "x" });
      } finally {
        await old.close();
      }
    });
  });
}
