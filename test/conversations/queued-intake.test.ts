import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { INBOUND_STORE_JOB } from "../../src/conversations/index.ts";
import { jobQueue } from "../../src/jobs/index.ts";
import { openStore, StatementCounter, type Store } from "../../src/store/index.ts";
import { backends } from "../support/backends.ts";
import {
  fixture,
  startChannelsApp,
  twilioSigned,
  whatsappSigned,
} from "../support/channels-app.ts";
import {
  auth,
  eventually,
  queueDrained,
  signedWebhook,
  startTestApp,
  type TestApp,
} from "../support/test-app.ts";

const SENDERS = 5;
const PER_SENDER = 6;

type MessageView = { id: string; direction: string; text: string; meta: Record<string, unknown> };

/**
 * `intake.mode: queued` end to end on both stores: a webhook is answered once the message
 * and its job are durable (one commit for a batch of requests), and the job stores it as
 * the direct intake would, under the id the answer gave.
 */
describe("queued intake", () => {
  for (const backend of backends) {
    describe(backend.name, () => {
      const counter = new StatementCounter();
      let app: TestApp;
      let watcher: Store;
      let cleanup: () => Promise<void>;
      let encrypted = false;
      before(async () => {
        const created = await backend.create();
        cleanup = created.cleanup;
        encrypted = created.options.encryption !== undefined;
        app = await startTestApp({
          store: { ...created.options, statements: counter },
          extraYaml: "intake: { mode: queued }\nhandoff: { negativeSentimentStreak: 0 }",
          limits: "{ coalesceMs: 0, perSender: { points: 4, seconds: 60, burst: 0 } }",
        });
        watcher = await openStore(created.options);
      });
      after(async () => {
        await watcher?.close();
        await app?.dispose();
        await cleanup?.();
      });

      const messagesOf = async (conversationId: string): Promise<MessageView[]> => {
        const r = await app.app.inject({
          url: `/api/v1/conversations/${conversationId}/messages?limit=100`,
          headers: auth,
        });
        return r.json().data as MessageView[];
      };

      it("answers once queued, then stores each message in its sender's order", async () => {
        // Over the sender limit (4) from the fifth message on: refused at intake with 429.
        // Senders at once, each sender's lines one after another (what order means).
        const perSender = await Promise.all(
          Array.from({ length: SENDERS }, async (_, s) => {
            const answers = [];
            for (let i = 0; i < PER_SENDER; i++) {
              answers.push(
                await app.app.inject(
                  signedWebhook({ id: `q-${s}-${i}`, from: `+1555020${s}`, text: `line ${i}` }),
                ),
              );
            }
            return answers;
          }),
        );
        const responses = perSender.flat();
        const taken = responses.filter((r) => r.statusCode === 202);
        const refused = responses.filter((r) => r.statusCode === 429);
        assert.equal(taken.length, SENDERS * 4);
        assert.equal(refused.length, SENDERS * 2);
        for (const r of refused) assert.equal(r.json().error.code, "MS_RATE_LIMITED");
        const ids = taken.map((r) => {
          const body = r.json() as { messageId: string; queued: boolean };
          assert.equal(body.queued, true);
          assert.match(body.messageId, /^msg_/);
          return body.messageId;
        });
        await queueDrained(watcher);
        assert.equal(await watcher.inboundItems.count(), 0, "every item was removed by its job");
        // Each commit is measured: twenty messages in some number of batches.
        const metrics = (await app.app.inject({ url: "/metrics" })).body;
        const sum = /mainstay_intake_batch_size_sum (\d+)/.exec(metrics);
        assert.equal(Number(sum?.[1]), SENDERS * PER_SENDER, "messages in the batches");
        assert.match(metrics, /mainstay_intake_commit_duration_seconds_count [1-9]/);

        // Each message is stored under the id its answer named, in its sender's order.
        const stored = await watcher.db.all<{ id: string; text: string; conversation_id: string }>(
          "SELECT id, text, conversation_id FROM messages WHERE direction = 'inbound' ORDER BY created_at, id",
        );
        assert.deepEqual(new Set(stored.map((m) => m.id)), new Set(ids));
        const conversations = new Set(stored.map((m) => m.conversation_id));
        assert.equal(conversations.size, SENDERS, "one conversation per sender");
        for (const conversationId of conversations) {
          const lines = (await messagesOf(conversationId))
            .filter((m) => m.direction === "inbound")
            .map((m) => m.text);
          assert.deepEqual(lines, ["line 0", "line 1", "line 2", "line 3"]);
        }
        // And answered: the usual process job followed.
        const replies = await watcher.db.get<{ n: number }>(
          "SELECT COUNT(*) AS n FROM messages WHERE direction = 'outbound'",
        );
        assert.ok(Number(replies?.n) >= SENDERS);
      });

      it("takes a batch in with one commit", async () => {
        app.worker.stop();
        counter.log = [];
        try {
          const responses = await Promise.all(
            Array.from({ length: 8 }, (_, i) =>
              app.app.inject(signedWebhook({ id: `b-${i}`, from: `+1555021${i}`, text: "hi" })),
            ),
          );
          for (const r of responses) assert.equal(r.statusCode, 202);
          const log = counter.log;
          const itemInserts = log.filter((l) => l.startsWith("INSERT INTO inbound_items"));
          const jobInserts = log.filter((l) => l.startsWith("INSERT INTO jobs"));
          assert.ok(itemInserts.length >= 1 && itemInserts.length < 8, `${itemInserts.length}`);
          assert.equal(jobInserts.length, itemInserts.length);
          // Each batch: its senders' rate-limit upserts, its items, its jobs, one commit; and
          // no other commit (the limits count in the batch's transaction).
          const commits = log.filter((l) => l.startsWith("-- commit"));
          assert.equal(commits.length, itemInserts.length, log.join("\n"));
          assert.ok(log.some((l) => l.startsWith("INSERT INTO rate_limits")));
          for (const [i, line] of log.entries()) {
            if (!line.startsWith("INSERT INTO inbound_items")) continue;
            assert.match(log[i + 1]!, /^INSERT INTO jobs/);
            assert.match(log[i + 2]!, /^-- commit/);
          }
          assert.equal(await watcher.inboundItems.count(), 8);
          // Encrypting, the waiting message (text, address) is sealed like a stored one.
          const raw = await watcher.db.all<{ item: string }>("SELECT item FROM inbound_items");
          for (const { item } of raw) assert.equal(item.includes("+1555021"), !encrypted);
        } finally {
          counter.log = undefined;
          app.worker.start();
        }
        await queueDrained(watcher);
        assert.equal(await watcher.inboundItems.count(), 0);
      });

      it("answers a copy of a stored message with its ids, and stores a racing copy once", async () => {
        const first = await app.app.inject(
          signedWebhook({ id: "dup-1", from: "+15550230", text: "where is my order" }),
        );
        const { messageId } = first.json() as { messageId: string };
        await queueDrained(watcher);
        const again = await app.app.inject(
          signedWebhook({ id: "dup-1", from: "+15550230", text: "where is my order" }),
        );
        assert.equal(again.statusCode, 202);
        assert.equal(again.json().duplicate, true);
        assert.equal(again.json().messageId, messageId);
        assert.match(again.json().conversationId, /^conv_/);

        // Two copies in flight at once: both are taken in, one is stored.
        const racing = await Promise.all(
          [0, 1].map(() =>
            app.app.inject(signedWebhook({ id: "dup-2", from: "+15550231", text: "hello" })),
          ),
        );
        for (const r of racing) assert.equal(r.statusCode, 202);
        await queueDrained(watcher);
        const rows = await watcher.db.all(
          "SELECT id FROM messages WHERE provider_message_id = 'dup-2'",
        );
        assert.equal(rows.length, 1);
        assert.equal(await watcher.inboundItems.count(), 0);
      });

      it("screens in the job: redacted text is what is stored", async () => {
        const res = await app.app.inject(
          signedWebhook({
            id: "pii-1",
            from: "+15550240",
            text: "my card is 4111 1111 1111 1111, can you check my order",
          }),
        );
        assert.equal(res.statusCode, 202);
        await queueDrained(watcher);
        const row = await watcher.db.get<{ conversation_id: string }>(
          "SELECT conversation_id FROM messages WHERE provider_message_id = 'pii-1'",
        );
        const inbound = (await messagesOf(row!.conversation_id)).find(
          (m) => m.direction === "inbound",
        );
        assert.ok(inbound);
        assert.ok(!inbound.text.includes("4111 1111 1111 1111"), inbound.text);
        assert.ok(inbound.meta["guardrails"]);
      });

      it("keeps a job whose channel is gone as dead, with its item", async () => {
        const queue = jobQueue(watcher.db);
        const now = Date.now();
        await watcher.transaction(async (tx) => {
          await tx.inboundItems.insertMany([
            { id: "in_orphan", channelId: "removed", item: "{}", receivedAt: now },
          ]);
          await queue.enqueue(
            tx.db,
            {
              kind: INBOUND_STORE_JOB,
              queueKey: "inbound:removed:x",
              payload: { itemId: "in_orphan" },
              maxAttempts: 3,
              runAt: now,
            },
            now,
          );
        });
        app.worker.wake();
        const dead = await eventually(async () => {
          const jobs = await queue.listDead(10);
          return jobs.find((j) => j.payload["itemId"] === "in_orphan");
        }, "the orphan's job to be dead-lettered");
        assert.match(dead.lastError ?? "", /channel "removed" is no longer configured/);
        assert.equal(await watcher.inboundItems.count(), 1);
      });
    });
  }

  it("stores what was taken in before a restart (SQLite)", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "mainstay-queued-"));
    try {
      const options = { dataDir, extraYaml: "intake: { mode: queued }" };
      const first = await startTestApp(options);
      await first.worker.stop();
      const answers = await Promise.all(
        [0, 1, 2].map((i) =>
          first.app.inject(signedWebhook({ id: `r-${i}`, from: `+1555025${i}`, text: "hi" })),
        ),
      );
      for (const r of answers) assert.equal(r.statusCode, 202);
      await first.close();
      // The next process finds the items and their jobs, and stores every message.
      const second = await startTestApp(options);
      try {
        await queueDrained(second.store);
        const ids = answers.map((r) => (r.json() as { messageId: string }).messageId);
        for (const id of ids) assert.ok(await second.store.messages.get(id), id);
        assert.equal(await second.store.inboundItems.count(), 0);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("takes vendor webhooks in queued: Twilio's TwiML answer, a WhatsApp batch", async () => {
    const app = await startChannelsApp({ extraYaml: "intake: { mode: queued }" });
    try {
      const params = JSON.parse(fixture("twilio/inbound-sms.json")) as Record<string, string>;
      const sms = await app.app.inject(twilioSigned(params));
      assert.equal(sms.statusCode, 200);
      assert.match(sms.body, /<Response\s*\/>|<Response><\/Response>/);
      const wa = await app.app.inject(whatsappSigned(fixture("whatsapp/batch.json")));
      assert.equal(wa.statusCode, 200);
      await queueDrained(app.store);
      const rows = await app.store.db.all<{ channel_id: string }>(
        "SELECT channel_id FROM messages WHERE direction = 'inbound' ORDER BY channel_id",
      );
      // The batch's two text messages (its third is for another business number).
      assert.deepEqual(
        rows.map((r) => r.channel_id),
        ["sms", "wa", "wa"],
      );
      assert.equal(await app.store.inboundItems.count(), 0);
    } finally {
      await app.close();
    }
  });
});
