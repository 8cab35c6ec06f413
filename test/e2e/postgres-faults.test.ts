import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { StoreOptions } from "../../src/store/index.ts";
import { backends } from "../support/backends.ts";
import { openPgSessions } from "../support/pg-sessions.ts";
import { sseReader } from "../support/sse-reader.ts";
import { startTcpProxy } from "../support/tcp-proxy.ts";
import {
  auth,
  eventually,
  queueDrained,
  signedWebhook,
  startTestApp,
} from "../support/test-app.ts";

const postgres = backends.find((b) => b.name === "postgres");
const pgUrl = process.env["MAINSTAY_TEST_DATABASE_URL"]!;

/** A fresh schema, dropped at the end of the suite. */
async function freshSchema(cleanups: (() => Promise<unknown>)[]) {
  const created = await postgres!.create();
  cleanups.push(created.cleanup);
  return created.options as Extract<StoreOptions, { kind: "postgres" }>;
}

describe("PostgreSQL faults", { skip: !postgres && "MAINSTAY_TEST_DATABASE_URL not set" }, () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  let sessions: Awaited<ReturnType<typeof openPgSessions>>;
  before(async () => {
    sessions = await openPgSessions(pgUrl);
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await sessions?.close();
  });

  for (let round = 1; round <= 10; round++) {
    it(`two instances started at the same moment on an empty schema both become ready (${round}/10)`, async () => {
      const store = await freshSchema(cleanups);
      const started = await Promise.allSettled([startTestApp({ store }), startTestApp({ store })]);
      const apps = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
      try {
        assert.deepEqual(
          started.map((s) => (s.status === "rejected" ? String(s.reason) : "started")),
          ["started", "started"],
        );
        for (const app of apps) {
          const ready = await app.app.inject({ url: "/readyz" });
          assert.equal(ready.statusCode, 200, ready.body);
        }
      } finally {
        for (const app of apps) await app.dispose();
      }
    });
  }

  // The instance's transaction is made to wait on a lock the test holds, so it is certainly
  // open when its backend is terminated.
  const terminations = [
    { name: "a webhook's transaction: the request is answered 202", during: "request" },
    { name: "a job's transaction: it runs again and the job replies once", during: "job" },
  ] as const;
  for (const { name, during } of terminations) {
    it(`a backend terminated in the middle of ${name}; the process keeps running`, async () => {
      const store = await freshSchema(cleanups);
      const app = await startTestApp({ store });
      cleanups.push(() => app.dispose());
      const lock = await openPgSessions(pgUrl);
      try {
        if (during === "job") await app.worker.stop();
        const webhook = signedWebhook({ id: `kill-${during}`, from: "+15557001", text: "Hello" });
        let answer: Promise<{ statusCode: number; body: string }> | undefined;
        if (during === "job") {
          const res = await app.app.inject(webhook);
          assert.equal(res.statusCode, 202, res.body);
        }
        await lock.client.query("BEGIN");
        await lock.client.query(`LOCK TABLE ${store.schema}.messages IN EXCLUSIVE MODE`);
        if (during === "request") answer = app.app.inject(webhook).then((r) => r);
        else app.worker.start();
        const pid = await sessions.blockedOnLock(`mainstay:${store.schema}`);
        await sessions.terminatePid(pid);
        await lock.client.query("ROLLBACK");
        if (answer) {
          const res = await answer;
          assert.equal(res.statusCode, 202, res.body);
        }
        await queueDrained(app.store);
        const health = await app.app.inject({ url: "/readyz" });
        assert.equal(health.statusCode, 200, health.body);
        const rows = await app.store.db.all<{ direction: string }>(
          "SELECT direction FROM messages ORDER BY created_at, id",
        );
        assert.deepEqual(
          rows.map((r) => r.direction),
          ["inbound", "outbound"],
        );
      } finally {
        await lock.close();
      }
    });
  }

  const outages = [
    { name: "its port is closed", mode: "closed" },
    { name: "its network drops every packet", mode: "blackhole" },
  ] as const;
  for (const { name, mode } of outages) {
    it(`while the database is unreachable (${name}) /readyz says so, requests get 503 MS_DB_UNAVAILABLE with Retry-After, and both recover`, async () => {
      const schema = await freshSchema(cleanups);
      const proxy = await startTcpProxy(pgUrl);
      cleanups.push(() => proxy.close());
      const app = await startTestApp({ store: { ...schema, url: proxy.url } });
      cleanups.push(() => app.dispose());
      await proxy.cut(mode);

      const down = await app.app.inject({ url: "/readyz" });
      assert.equal(down.statusCode, 503, down.body);
      assert.match(down.json().checks.store, /^failing: .*database/i);
      const refused = await app.app.inject({ url: "/api/v1/conversations", headers: auth });
      assert.equal(refused.statusCode, 503, refused.body);
      assert.equal(refused.json().error.code, "MS_DB_UNAVAILABLE");
      assert.match(refused.headers["retry-after"] as string, /^[1-9]\d*$/);

      await proxy.restore();
      await eventually(async () => {
        const up = await app.app.inject({ url: "/readyz" });
        return up.statusCode === 200 ? true : undefined;
      }, "/readyz to say ready again");
      const res = await app.app.inject(
        signedWebhook({ id: `after-${mode}`, from: "+15557002", text: "Hello" }),
      );
      assert.equal(res.statusCode, 202, res.body);
      await queueDrained(app.store);
    });
  }

  it("an SSE client on instance A hears a conversation event that instance B committed", {
    timeout: 30_000,
  }, async () => {
    const store = await freshSchema(cleanups);
    const a = await startTestApp({ store });
    cleanups.push(() => a.dispose());
    const b = await startTestApp({ store });
    cleanups.push(() => b.dispose());
    const controller = new AbortController();
    cleanups.push(async () => controller.abort());
    const stream = sseReader(
      await fetch(`${a.url}/api/v1/stream`, { headers: auth, signal: controller.signal }),
    );
    const res = await b.app.inject(
      signedWebhook({ id: "sse-across", from: "+15557003", text: "Hello" }),
    );
    const { conversationId, messageId } = res.json();
    const heard = await stream.until("message.received", conversationId);
    assert.deepEqual(heard, { conversationId, type: "message.received", messageId });
    await stream.until("message.queued", conversationId);
    await stream.cancel();
    await queueDrained(b.store);
  });

  it("an SSE client on A hears what B committed while A's database connection was down, once it is back", {
    timeout: 30_000,
  }, async () => {
    const schema = await freshSchema(cleanups);
    const proxy = await startTcpProxy(pgUrl);
    cleanups.push(() => proxy.close());
    const a = await startTestApp({ store: { ...schema, url: proxy.url } });
    cleanups.push(() => a.dispose());
    const b = await startTestApp({ store: schema });
    cleanups.push(() => b.dispose());
    await b.worker.stop(); // only the ingest's events, committed while A is cut off
    const controller = new AbortController();
    cleanups.push(async () => controller.abort());
    const stream = sseReader(
      await fetch(`${a.url}/api/v1/stream`, { headers: auth, signal: controller.signal }),
    );
    await proxy.cut("closed");
    // B's LISTEN connection is left (same schema, so same application_name).
    await eventually(
      async () =>
        (await sessions.count(`mainstay-listen:${schema.schema}`)) === 1 ? true : undefined,
      "A's LISTEN connection to be gone",
    );
    const res = await b.app.inject(
      signedWebhook({ id: "sse-missed", from: "+15557004", text: "Hello" }),
    );
    const { conversationId, messageId } = res.json();
    await proxy.restore();
    const heard = await stream.until("message.received", conversationId);
    assert.deepEqual(heard, { conversationId, type: "message.received", messageId });
    await stream.cancel();
  });
});
