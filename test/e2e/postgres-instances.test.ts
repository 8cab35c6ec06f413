import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { backends } from "../support/backends.ts";
import { startCallbackServer } from "../support/callback-server.ts";
import {
  eventually,
  queueDrained,
  signedWebhook,
  startTestApp,
  type TestApp,
} from "../support/test-app.ts";

const postgres = backends.find((b) => b.name === "postgres");

describe("several instances on one PostgreSQL", {
  skip: !postgres && "MAINSTAY_TEST_DATABASE_URL not set",
}, () => {
  const apps: TestApp[] = [];
  let callback: Awaited<ReturnType<typeof startCallbackServer>>;
  let cleanup: () => Promise<void>;

  before(async () => {
    callback = await startCallbackServer();
    const created = await postgres!.create();
    cleanup = created.cleanup;
    for (let i = 0; i < 3; i++) {
      apps.push(await startTestApp({ callbackUrl: callback.url, store: created.options }));
    }
  });
  after(async () => {
    for (const app of apps) await app.dispose();
    await callback?.close();
    await cleanup?.();
  });

  it("share the work: every reply is delivered exactly once", async () => {
    const total = 30;
    const questions = [
      "How long does shipping take?",
      "Can I return my phone?",
      "Do you fix screens?",
    ];
    for (let i = 0; i < total; i++) {
      const res = await apps[i % apps.length]!.app.inject(
        signedWebhook({ id: `multi-${i}`, from: `+1555100${i % 7}`, text: questions[i % 3] }),
      );
      assert.equal(res.statusCode, 202);
    }
    await eventually(
      async () => (callback.received.length >= total ? true : undefined),
      `${total} deliveries`,
      20_000,
    );
    // Count only once no job is left anywhere, so a double send could not still be in flight.
    await queueDrained(apps[0]!.store);
    const ids = callback.received.map((r) => JSON.parse(r.body).id as string);
    assert.equal(ids.length, total);
    assert.equal(new Set(ids).size, total);
  });

  it("wake each other: a job enqueued on one is taken at once by another that polls rarely", async () => {
    const created = await postgres!.create();
    const quiet = "{ maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50, pollIntervalMs: 60000 }";
    const receiving = await startTestApp({ store: created.options });
    const working = await startTestApp({ store: created.options, outbox: quiet });
    try {
      await receiving.worker.stop(); // only `working` may take the job
      const res = await receiving.app.inject(
        signedWebhook({ id: "notify-1", from: "+15551009", text: "How long does shipping take?" }),
      );
      const { conversationId } = res.json();
      // Without the notification this would wait for a 60 s poll.
      await eventually(
        async () => {
          const messages = await working.store.messages.recent(conversationId, 5);
          return messages.some((m) => m.direction === "outbound") ? true : undefined;
        },
        "the other instance to answer",
        10_000,
      );
    } finally {
      await working.dispose();
      await receiving.dispose();
      await created.cleanup();
    }
  });
});
