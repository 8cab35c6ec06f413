import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import pino from "pino";
import { verifyAudit } from "../../src/audit/index.ts";
import type { ConversationService } from "../../src/conversations/index.ts";
import {
  createRetention,
  liftHold,
  type PurgeCounts,
  placeHold,
  RETENTION_CHUNK,
  retentionConfigSchema,
} from "../../src/governance/index.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import type { Store } from "../../src/store/index.ts";
import { backends } from "../support/backends.ts";
import { openTestService } from "../support/test-service.ts";
import { SECRET, seedCustomer } from "./fixtures.ts";

const DAY = 86_400_000;
const logger = pino({ level: "silent" });

for (const backend of backends) {
  describe(`retention: ${backend.name}`, () => {
    let store: Store;
    let service: ConversationService;
    let close: () => Promise<void>;
    let clock: ManualClock;

    beforeEach(async () => {
      clock = new ManualClock();
      const created = await backend.create();
      const opened = await openTestService(clock, created.options);
      store = opened.store;
      service = opened.service;
      close = async () => {
        await opened.close();
        await created.cleanup();
      };
    });
    afterEach(() => close());

    function retention(config: unknown) {
      const purged: PurgeCounts = {};
      const r = createRetention({
        store,
        config: retentionConfigSchema.parse(config),
        clock,
        logger,
        onPurged: (c, n) => {
          purged[c] = (purged[c] ?? 0) + n;
        },
      });
      return { r, purged };
    }

    const message = (id: string) => store.messages.get(id).then((m) => m!);
    const traces = async (conversationId: string) =>
      (
        await store.db.all("SELECT turn_id FROM turn_traces WHERE conversation_id = ?", [
          conversationId,
        ])
      ).length;

    it("purges exactly what has expired, per channel and class", async () => {
      const oldSms = await seedCustomer(service, store, { channel: "sms", from: "+15550000001" });
      const oldWeb = await seedCustomer(service, store, { channel: "web", from: "w-1" });
      clock.advance(20 * DAY);
      const newSms = await seedCustomer(service, store, { channel: "sms", from: "+15550000002" });
      const newWeb = await seedCustomer(service, store, { channel: "web", from: "w-2" });
      clock.advance(10 * DAY);
      // Now: the old ones are 30 days old, the new ones 10.
      const { r, purged } = retention({
        default: { messages: "25d", evidence: "5d" },
        channels: { web: { messages: "7d", traces: "15d", attachments: "8d" } },
      });
      const counts = await r.runOnce();
      assert.deepEqual(counts, { messages: 3, attachments: 2, evidence: 8, traces: 1 });
      assert.deepEqual(purged, { messages: 3, attachments: 2, evidence: 8, traces: 1 });

      // sms keeps 25 days of text: only the old line goes; web keeps 7: both go.
      assert.equal((await message(oldSms.messageId)).text, "");
      assert.match((await message(newSms.messageId)).text, new RegExp(SECRET));
      assert.equal((await message(oldWeb.messageId)).text, "");
      assert.equal((await message(newWeb.messageId)).text, "");
      const purgedMeta = (await message(oldSms.messageId)).meta["purged"] as Record<string, number>;
      assert.equal(purgedMeta["text"], clock.now());
      // Attachments: web only (sms sets none); evidence: everywhere after 5 days.
      assert.equal((await message(oldWeb.messageId)).attachments.length, 0);
      assert.equal((await message(oldSms.messageId)).attachments.length, 1);
      const guardrails = (await message(newSms.messageId)).meta["guardrails"] as {
        findings: Record<string, unknown>[];
      };
      assert.equal(guardrails.findings[0]!["type"], "secret");
      assert.equal(guardrails.findings[0]!["evidence"], undefined);
      const events = await store.events.list(newSms.conversationId);
      const decision = events.find((e) => e.type === "guardrail.decision")!;
      assert.ok(!JSON.stringify(decision.data).includes(SECRET));
      // Traces: web after 15 days only.
      assert.equal(await traces(oldWeb.conversationId), 0);
      assert.equal(await traces(newWeb.conversationId), 1);
      assert.equal(await traces(oldSms.conversationId), 1);
      // Turns are kept for ever unless set.
      assert.equal((await store.db.all("SELECT id FROM agent_turns")).length, 4);
      // The search index no longer finds the purged text.
      assert.deepEqual(
        (await store.conversations.list({ search: SECRET, limit: 10 })).map((c) => c.id),
        [newSms.conversationId],
      );

      // A second pass has nothing left to do.
      assert.deepEqual(await r.runOnce(), { messages: 0, attachments: 0, evidence: 0, traces: 0 });
    });

    it("leaves a reply still queued for delivery to its delivery job", async () => {
      const a = await seedCustomer(service, store);
      await store.db.run("UPDATE messages SET status = 'queued' WHERE id = ?", [a.messageId]);
      clock.advance(10 * DAY);
      const { r } = retention({ default: { messages: "1d", attachments: "1d" } });
      assert.deepEqual(await r.runOnce(), { messages: 0, attachments: 0 });
      assert.match((await message(a.messageId)).text, new RegExp(SECRET));
    });

    it("keeps everything when nothing is set", async () => {
      const a = await seedCustomer(service, store);
      clock.advance(3650 * DAY);
      const { r } = retention({});
      assert.deepEqual(await r.runOnce(), {});
      assert.match((await message(a.messageId)).text, new RegExp(SECRET));
    });

    it("works in chunks and deletes turns", async () => {
      const a = await seedCustomer(service, store);
      for (let i = 0; i < RETENTION_CHUNK + 5; i++) {
        await service.receive(
          { id: "sms", type: "sms" },
          { providerMessageId: `bulk-${i}`, from: "+15550000009", text: `line ${i} ${SECRET}` },
        );
      }
      clock.advance(2 * DAY);
      const { r } = retention({ default: { messages: "1d", turns: "1d" } });
      const counts = await r.runOnce();
      assert.equal(counts.messages, RETENTION_CHUNK + 6);
      assert.equal(counts.turns, 1);
      assert.equal(
        (await store.db.all("SELECT id FROM agent_turns WHERE id = ?", [a.turnId])).length,
        0,
      );
      // Aggregates stay: the conversation's outcome row.
      assert.equal((await store.outcomes.forConversation(a.conversationId)).length, 1);
    });

    it("purges nothing under a legal hold, and what the hold kept once it is lifted", async () => {
      const held = await seedCustomer(service, store, { from: "+15550000001" });
      const heldConversation = await seedCustomer(service, store, { channel: "web", from: "w-9" });
      const free = await seedCustomer(service, store, { from: "+15550000003" });
      const onContact = await placeHold(
        store,
        { scope: "contact", targetId: held.contactId, reason: "case 1", actor: "admin" },
        clock.now(),
      );
      const onConversation = await placeHold(
        store,
        {
          scope: "conversation",
          targetId: heldConversation.conversationId,
          reason: "case 2",
          actor: "admin",
        },
        clock.now(),
      );
      clock.advance(40 * DAY);
      const { r } = retention({ default: { messages: "30d", evidence: "30d", traces: "30d" } });
      const counts = await r.runOnce();
      assert.deepEqual(counts, { messages: 1, evidence: 2, traces: 1 });
      assert.match((await message(held.messageId)).text, new RegExp(SECRET));
      assert.match((await message(heldConversation.messageId)).text, new RegExp(SECRET));
      assert.equal((await message(free.messageId)).text, "");
      assert.equal(await traces(held.conversationId), 1);

      await liftHold(store, onContact.id, "admin", clock.now());
      assert.equal((await r.runOnce()).messages, 1);
      assert.equal((await message(held.messageId)).text, "");
      assert.match((await message(heldConversation.messageId)).text, new RegExp(SECRET));
      await liftHold(store, onConversation.id, "admin", clock.now());
      assert.equal((await r.runOnce()).messages, 1);
      assert.equal((await verifyAudit(store)).ok, true);
    });

    it("keeps events append-only except for purging their data", async () => {
      const a = await seedCustomer(service, store);
      const [event] = await store.events.list(a.conversationId);
      await assert.rejects(
        store.db.run("UPDATE events SET data = '{}' WHERE seq = ?", [event!.seq]),
      );
      await assert.rejects(
        store.db.run("UPDATE events SET type = 'x' WHERE seq = ?", [event!.seq]),
      );
      await assert.rejects(store.db.run("DELETE FROM events WHERE seq = ?", [event!.seq]));
      await store.db.run(`UPDATE events SET data = '{"purged":{"evidence":1}}' WHERE seq = ?`, [
        event!.seq,
      ]);
    });

    it("rejects a malformed retention section", () => {
      for (const bad of [
        { default: { messages: "30" } },
        { default: { messages: "0d" } },
        { default: { audit: "30d" } },
        { channels: { sms: { texts: "1d" } } },
      ]) {
        assert.equal(retentionConfigSchema.safeParse(bad).success, false, JSON.stringify(bad));
      }
      assert.equal(retentionConfigSchema.parse({}).interval, 3_600_000);
      assert.equal(
        retentionConfigSchema.parse({ default: { turns: "2w" } }).default.turns,
        14 * DAY,
      );
    });
  });
}
