import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import Fastify from "fastify";
import { streamRoutes } from "../../src/api/routes/stream.ts";
import {
  type ConversationChange,
  ConversationEvents,
  observeConversationEvents,
} from "../../src/conversations/index.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { sseReader } from "../support/sse-reader.ts";
import {
  auth,
  queueDrained,
  signedWebhook,
  startTestApp,
  type TestApp,
} from "../support/test-app.ts";
import { openTestService } from "../support/test-service.ts";

describe("GET /api/v1/stream", () => {
  let app: TestApp;
  const controller = new AbortController();
  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    controller.abort();
    await app?.dispose();
  });

  const open = async (query = "", headers: Record<string, string> = auth) => {
    const res = await fetch(`${app.url}/api/v1/stream${query}`, {
      headers,
      signal: controller.signal,
    });
    return res;
  };

  it("needs a key, like every API route", async () => {
    const res = await open("", {});
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, "MS_UNAUTHORIZED");
  });

  it("tells of a customer message as it arrives, and of the reply queued for it", async () => {
    const res = await open();
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/event-stream; charset=utf-8");
    assert.equal(res.headers.get("cache-control"), "no-cache, no-transform");
    const stream = sseReader(res);
    const webhook = await app.app.inject(
      signedWebhook({ id: "stream-1", from: "+15558100", text: "Where is my order?" }),
    );
    const { conversationId, messageId } = webhook.json();
    const received = await stream.until("message.received");
    assert.deepEqual(received, { conversationId, type: "message.received", messageId });
    const queued = await stream.until("message.queued");
    assert.equal(queued.conversationId, conversationId);
    await stream.cancel();
    await queueDrained(app.store);
  });

  it("tells of a handoff and a handback with the new state, filtered to one conversation", async () => {
    const first = await app.app.inject(
      signedWebhook({ id: "stream-2", from: "+15558101", text: "Hello" }),
    );
    const { conversationId } = first.json();
    await queueDrained(app.store);
    const stream = sseReader(await open(`?conversationId=${conversationId}`));
    // Another conversation's news does not reach this stream.
    await app.app.inject(signedWebhook({ id: "stream-3", from: "+15558102", text: "Hi" }));
    const reply = await app.app.inject({
      method: "POST",
      url: `/api/v1/conversations/${conversationId}/messages`,
      headers: auth,
      payload: { text: "A person here" },
    });
    assert.equal(reply.statusCode, 202, reply.body);
    const handoff = await stream.until("conversation.handoff");
    assert.equal(handoff.state, "human");
    const back = await app.app.inject({
      method: "POST",
      url: `/api/v1/conversations/${conversationId}/handback`,
      headers: auth,
      payload: {},
    });
    assert.equal(back.statusCode, 200, back.body);
    const handback = await stream.until("conversation.handback");
    assert.deepEqual(handback, { conversationId, type: "conversation.handback", state: "bot" });
    assert.deepEqual(
      new Set(stream.changes.map((c) => c.conversationId)),
      new Set([conversationId]),
    );
    await stream.cancel();
    await queueDrained(app.store);
  });

  it("closes open streams when the server stops", async () => {
    const other = await startTestApp();
    const res = await fetch(`${other.url}/api/v1/stream`, { headers: auth });
    const stream = sseReader(res);
    await other.dispose();
    await assert.rejects(stream.next(), /stream ended|terminated|aborted/);
  });
});

describe("stream pings", () => {
  it("sends `event: ping` on the interval so idle connections stay open", async () => {
    const events = new ConversationEvents();
    const app = Fastify();
    await app.register(streamRoutes, { events, pingMs: 20 });
    const url = await app.listen({ port: 0, host: "127.0.0.1" });
    try {
      const stream = sseReader(await fetch(`${url}/api/v1/stream`));
      assert.deepEqual(await stream.next(), { event: "ping", data: {} });
      await stream.cancel();
    } finally {
      await app.close();
    }
  });
});

describe("conversation events from the store", () => {
  it("publishes after commit, and nothing for a rolled-back transaction", async () => {
    const service = await openTestService(new ManualClock());
    try {
      const { conversationId } = await service.service.receive(
        { id: "api", type: "generic" },
        { providerMessageId: "p-1", from: "+15558200", text: "hi" },
      );
      const hub = new ConversationEvents();
      const seen: ConversationChange[] = [];
      hub.subscribe((change) => seen.push(change));
      const store = observeConversationEvents(service.store, hub);
      await store.transaction(async (tx) => {
        await tx.events.append(conversationId, "conversation.handoff", { reason: "x" }, 1);
        assert.equal(seen.length, 0, "not before the commit");
      });
      assert.deepEqual(seen, [{ conversationId, type: "conversation.handoff", state: "human" }]);
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.events.append(conversationId, "message.received", { messageId: "m" }, 2);
          throw new Error("rolled back");
        }),
        /rolled back/,
      );
      assert.equal(seen.length, 1);
      // Outside a transaction an append commits at once.
      await store.events.append(conversationId, "message.sent", { messageId: "m1" }, 3);
      assert.deepEqual(seen[1], { conversationId, type: "message.sent", messageId: "m1" });
    } finally {
      await service.close();
    }
  });
});
