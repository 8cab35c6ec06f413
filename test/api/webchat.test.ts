import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { connectChat as connect } from "../support/chat-client.ts";
import { auth, eventually, startTestApp, type TestApp } from "../support/test-app.ts";

describe("web chat over a real WebSocket", () => {
  let app: TestApp;
  let wsBase: string;
  before(async () => {
    app = await startTestApp();
    wsBase = `${app.url.replace("http", "ws")}/chat/web/ws`;
  });
  after(() => app?.dispose());

  it("serves the chat page", async () => {
    const res = await fetch(`${app.url}/chat/web`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /text\/html/);
    assert.equal(
      res.headers.get("content-security-policy"),
      "frame-ancestors 'self' https://shop.example.com",
    );
    const html = await res.text();
    assert.match(html, /<title>Test chat<\/title>/);
    assert.match(html, /new WebSocket/);
    assert.equal((await fetch(`${app.url}/chat/nope`)).status, 404);
  });

  it("answers a question, and a reconnect resumes the conversation", async () => {
    const session = "session0123456789abcdef";
    const chat = await connect(`${wsBase}?session=${session}`);
    const history = await chat.next();
    assert.deepEqual(history, { type: "history", conversationId: null, messages: [] });

    chat.send({ type: "message", id: "c1", text: "What are your store opening hours?" });
    const ack = await chat.next();
    assert.equal(ack.type, "ack");
    const reply = await chat.next();
    assert.equal(reply.type, "message");
    assert.equal(reply.type === "message" && reply.message.direction, "outbound");
    await chat.close();

    if (ack.type !== "ack" || reply.type !== "message") return;
    // Pushed but never acknowledged by the page: the API says sent, not delivered.
    const statusOf = async (id: string) => {
      const res = await app.app.inject({
        url: `/api/v1/conversations/${ack.conversationId}/messages`,
        headers: auth,
      });
      return (res.json().data as { id: string; status: string }[]).find((m) => m.id === id)?.status;
    };
    await eventually(
      async () => ((await statusOf(reply.message.id)) === "sent" ? true : undefined),
      "the reply marked sent",
    );

    const again = await connect(`${wsBase}?session=${session}`);
    const resumed = await again.next();
    assert.equal(resumed.type, "history");
    if (resumed.type !== "history") return;
    assert.equal(resumed.conversationId, ack.conversationId);
    assert.deepEqual(
      resumed.messages.map((m) => m.direction),
      ["inbound", "outbound"],
    );
    // The unacknowledged reply is pushed again; the page's receipt makes it delivered.
    const pushed = await again.next();
    assert.equal(pushed.type === "message" && pushed.message.id, reply.message.id);
    again.send({ type: "received", id: reply.message.id });
    await eventually(
      async () => ((await statusOf(reply.message.id)) === "delivered" ? true : undefined),
      "the reply marked delivered",
    );
    // A receipt naming a message that is not one of this session's replies changes nothing.
    again.send({ type: "received", id: ack.messageId });
    assert.equal(((await again.next()) as { code: string }).code, "MS_NOT_FOUND");
    // Resending an unacknowledged frame after a reconnect stores it once.
    again.send({ type: "message", id: "c1", text: "What are your store opening hours?" });
    const dup = await again.next();
    assert.equal(dup.type === "ack" && dup.messageId, ack.messageId);
    await again.close();

    const messages = await app.app.inject({
      url: `/api/v1/conversations/${ack.conversationId}/messages`,
      headers: auth,
    });
    assert.equal(messages.json().data.length, 2);

    // The customer rates the conversation from the page: a thumbs-down outcome event.
    const rating = await connect(`${wsBase}?session=${session}`);
    await rating.next(); // history
    rating.send({ type: "feedback", thumbs: "down" });
    assert.deepEqual(await rating.next(), { type: "feedback", thumbs: "down" });
    await rating.close();
    const events = await app.store.outcomes.eventsForConversation(ack.conversationId);
    assert.deepEqual(
      events.map((e) => [e.type, e.value, e.source]),
      [["thumbs", 0, "webchat"]],
    );
  });

  it("rejects a bad session and reports bad frames without closing", async () => {
    const bad = await connect(`${wsBase}?session=short`);
    const error = await bad.next();
    assert.equal(error.type === "error" && error.code, "MS_BAD_REQUEST");

    const chat = await connect(`${wsBase}?session=another-session-0123456789`);
    await chat.next(); // history
    chat.sendRaw("not json");
    assert.equal(((await chat.next()) as { code: string }).code, "MS_JSON_INVALID");
    chat.send({ type: "message", id: "x", text: "" });
    assert.equal(((await chat.next()) as { code: string }).code, "MS_BAD_REQUEST");
    await chat.close();
  });
});
