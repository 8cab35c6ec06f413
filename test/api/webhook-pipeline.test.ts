import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SIGNATURE_HEADER, signGenericBody } from "../../src/channels/index.ts";
import { backends } from "../support/backends.ts";
import { startCallbackServer } from "../support/callback-server.ts";
import {
  API_SECRET,
  auth,
  eventually,
  signedWebhook,
  startTestApp,
  type TestApp,
} from "../support/test-app.ts";

for (const backend of backends) {
  describe(`generic webhook pipeline: ${backend.name}`, () => {
    let app: TestApp;
    let callback: Awaited<ReturnType<typeof startCallbackServer>>;
    let cleanup: () => Promise<void>;

    before(async () => {
      callback = await startCallbackServer();
      const created = await backend.create();
      cleanup = created.cleanup;
      app = await startTestApp({ callbackUrl: callback.url, store: created.options });
    });
    after(async () => {
      await app?.dispose();
      await callback?.close();
      await cleanup?.();
    });

    it("answers a signed message: 202, reply in the API and signed at the callback", async () => {
      const res = await app.app.inject(
        signedWebhook({ id: "ext-1", from: "+15550001", text: "How long does shipping take?" }),
      );
      assert.equal(res.statusCode, 202);
      const { conversationId, messageId } = res.json();
      assert.match(conversationId, /^conv_/);
      assert.match(messageId, /^msg_/);

      const reply = await eventually(async () => {
        const r = await app.app.inject({
          url: `/api/v1/conversations/${conversationId}/messages`,
          headers: auth,
        });
        return r.json().data.find((m: { status: string }) => m.status === "sent");
      }, "the reply to be sent");
      assert.equal(reply.author, "agent");
      assert.match(reply.text, /business days/);
      assert.deepEqual(reply.agent, { id: "support", version: "1" });
      assert.equal(reply.idempotencyKey, reply.id);

      const delivered = callback.received.find((r) => JSON.parse(r.body).id === reply.id);
      assert.ok(delivered, "callback received the reply");
      assert.equal(delivered.headers["idempotency-key"], reply.id);
      assert.equal(
        delivered.headers[SIGNATURE_HEADER],
        signGenericBody(API_SECRET, delivered.body),
      );
      assert.equal(JSON.parse(delivered.body).to, "+15550001");

      const detail = (
        await app.app.inject({ url: `/api/v1/conversations/${conversationId}`, headers: auth })
      ).json();
      assert.equal(detail.state, "bot");
      assert.equal(detail.identity.address, "+15550001");
      const types = detail.events.map((e: { type: string }) => e.type);
      for (const t of [
        "conversation.started",
        "message.received",
        "message.queued",
        "message.sent",
      ]) {
        assert.ok(types.includes(t), `event ${t} in ${types}`);
      }
    });

    it("stores a duplicate inbound message once and answers with the same ids", async () => {
      const body = { id: "ext-dup", from: "+15550002", text: "What are your opening hours?" };
      const first = await app.app.inject(signedWebhook(body));
      const second = await app.app.inject(signedWebhook(body));
      assert.equal(first.statusCode, 202);
      assert.equal(second.statusCode, 202);
      assert.equal(second.json().messageId, first.json().messageId);
      assert.equal(second.json().duplicate, true);
      const messages = (
        await app.app.inject({
          url: `/api/v1/conversations/${first.json().conversationId}/messages`,
          headers: auth,
        })
      ).json().data;
      assert.equal(
        messages.filter((m: { direction: string }) => m.direction === "inbound").length,
        1,
      );
    });

    it("keeps one conversation per customer and hands off when unsure", async () => {
      const a = await app.app.inject(
        signedWebhook({ id: "ext-h1", from: "+15550003", text: "I want to talk to a human" }),
      );
      const conversationId = a.json().conversationId;
      await eventually(async () => {
        const r = await app.app.inject({
          url: `/api/v1/conversations/${conversationId}`,
          headers: auth,
        });
        return r.json().state === "human" ? true : undefined;
      }, "handoff");
      const b = await app.app.inject(
        signedWebhook({ id: "ext-h2", from: "+15550003", text: "hello?" }),
      );
      assert.equal(b.json().conversationId, conversationId);
      const list = await app.app.inject({
        url: "/api/v1/conversations?state=human",
        headers: auth,
      });
      assert.ok(list.json().data.some((c: { id: string }) => c.id === conversationId));
    });
  });
}

describe("HTTP errors", () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app?.dispose());

  const code = (res: { json(): { error: { code: string } } }) => res.json().error.code;

  it("rejects a bad signature, a missing one, an unknown channel", async () => {
    const bad = signedWebhook({ id: "x", from: "a", text: "hi" }, "wrong-secret-wrong-secret");
    let res = await app.app.inject(bad);
    assert.equal(res.statusCode, 401);
    assert.equal(code(res), "MS_SIGNATURE_INVALID");

    const unsigned = signedWebhook({ id: "x", from: "a", text: "hi" });
    delete (unsigned.headers as Record<string, string>)["x-mainstay-signature"];
    res = await app.app.inject(unsigned);
    assert.equal(res.statusCode, 401);
    assert.equal(code(res), "MS_SIGNATURE_MISSING");

    res = await app.app.inject({ ...signedWebhook({ id: "x" }), url: "/webhooks/nope" });
    assert.equal(res.statusCode, 404);
    assert.equal(code(res), "MS_CHANNEL_NOT_FOUND");
  });

  it("rejects bad JSON, a bad shape and an oversized body with their own codes", async () => {
    let res = await app.app.inject(signedWebhook("{not json"));
    assert.equal(res.statusCode, 400);
    assert.equal(code(res), "MS_JSON_INVALID");

    res = await app.app.inject(signedWebhook({ id: "x", from: "a" }));
    assert.equal(res.statusCode, 400);
    assert.equal(code(res), "MS_BAD_REQUEST");
    assert.match(res.json().error.message, /^text:/);

    res = await app.app.inject(signedWebhook({ id: "x", from: "a", text: "y".repeat(300_000) }));
    assert.equal(res.statusCode, 413);
    assert.equal(code(res), "MS_BODY_TOO_LARGE");
  });

  it("requires the admin key on the API", async () => {
    let res = await app.app.inject({ url: "/api/v1/conversations" });
    assert.equal(res.statusCode, 401);
    assert.equal(code(res), "MS_UNAUTHORIZED");
    res = await app.app.inject({
      url: "/api/v1/conversations",
      headers: { authorization: "Bearer wrong" },
    });
    assert.equal(res.statusCode, 401);
    res = await app.app.inject({ url: "/api/v1/conversations/conv_nope", headers: auth });
    assert.equal(res.statusCode, 404);
    assert.equal(code(res), "MS_NOT_FOUND");
    res = await app.app.inject({ url: "/api/v1/conversations?limit=0", headers: auth });
    assert.equal(code(res), "MS_BAD_REQUEST");
    res = await app.app.inject({ url: "/api/v1/conversations?cursor=zzz", headers: auth });
    assert.equal(code(res), "MS_BAD_REQUEST");
  });

  it("reports health and readiness", async () => {
    assert.equal((await app.app.inject({ url: "/healthz" })).statusCode, 200);
    const ready = await app.app.inject({ url: "/readyz" });
    assert.equal(ready.statusCode, 200);
    assert.equal(ready.json().status, "ready");
    await app.worker.stop();
    const stopped = await app.app.inject({ url: "/readyz" });
    assert.equal(stopped.statusCode, 503);
    assert.equal(stopped.json().checks.worker, "stopped");
  });
});

describe("dead letters", () => {
  let app: TestApp;
  let callback: Awaited<ReturnType<typeof startCallbackServer>>;
  before(async () => {
    // The customer's system rejects every reply for good.
    callback = await startCallbackServer((_req, res) => {
      res.writeHead(422, { "content-type": "application/json" });
      res.end('{"code":"unknown_customer"}');
    });
    app = await startTestApp({ callbackUrl: callback.url });
  });
  after(async () => {
    await app?.dispose();
    await callback?.close();
  });

  it("lists a rejected reply in /api/v1/outbox/dead and marks the message failed", async () => {
    const res = await app.app.inject(
      signedWebhook({ id: "dead-1", from: "+15550400", text: "How long does shipping take?" }),
    );
    const { conversationId } = res.json();
    const dead = await eventually(async () => {
      const r = await app.app.inject({ url: "/api/v1/outbox/dead", headers: auth });
      return r.json().data[0];
    }, "a dead letter");
    assert.equal(dead.kind, "message.deliver");
    assert.equal(dead.attempts, 1);
    assert.match(dead.lastError, /HTTP 422 \(vendor code unknown_customer\)/);
    const messages = (
      await app.app.inject({
        url: `/api/v1/conversations/${conversationId}/messages`,
        headers: auth,
      })
    ).json().data;
    const reply = messages.find((m: { direction: string }) => m.direction === "outbound");
    assert.equal(reply.status, "failed");
    assert.equal(dead.payload.messageId, reply.id);
    const page = await app.app.inject({
      url: "/api/v1/outbox/dead?limit=1&cursor=bad",
      headers: auth,
    });
    assert.equal(page.json().error.code, "MS_BAD_REQUEST");
  });
});
