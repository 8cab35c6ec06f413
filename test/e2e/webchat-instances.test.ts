import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ServerFrame } from "../../src/channels/index.ts";
import { backends } from "../support/backends.ts";
import { type ChatClient, connectChat } from "../support/chat-client.ts";
import { auth, eventually, startTestApp, type TestApp } from "../support/test-app.ts";

const postgres = backends.find((b) => b.name === "postgres");

/** The next frame that is a pushed message (skipping nothing else silently). */
async function nextMessage(chat: ChatClient) {
  const frame: ServerFrame = await chat.next();
  assert.equal(frame.type, "message", JSON.stringify(frame));
  return (frame as Extract<ServerFrame, { type: "message" }>).message;
}

describe("live web chat across instances on one PostgreSQL", {
  skip: !postgres && "MAINSTAY_TEST_DATABASE_URL not set",
  // A frame that never comes fails the test instead of hanging the run.
  timeout: 60_000,
}, () => {
  // A holds the customer's socket and does no work; B runs every job and delivers.
  let a: TestApp;
  let b: TestApp;
  let cleanup: () => Promise<void>;
  const chats: ChatClient[] = [];
  const open = async (session: string) => {
    const chat = await connectChat(`${a.url.replace("http", "ws")}/chat/web/ws?session=${session}`);
    chats.push(chat);
    return chat;
  };
  const statusOf = async (app: TestApp, conversationId: string, messageId: string) => {
    const res = await app.app.inject({
      url: `/api/v1/conversations/${conversationId}/messages`,
      headers: auth,
    });
    const messages = res.json().data as { id: string; status: string }[];
    return messages.find((m) => m.id === messageId)?.status;
  };
  const statusBecomes = (app: TestApp, conversationId: string, id: string, status: string) =>
    eventually(
      async () => ((await statusOf(app, conversationId, id)) === status ? true : undefined),
      `${id} ${status}`,
    );

  before(async () => {
    const created = await postgres!.create();
    cleanup = created.cleanup;
    a = await startTestApp({ store: created.options });
    b = await startTestApp({ store: created.options });
    await a.worker.stop();
  });
  after(async () => {
    for (const chat of chats) await chat.close();
    await a?.dispose();
    await b?.dispose();
    await cleanup?.();
  });

  it("a socket on A receives the reply B produced and delivered; A's receipt makes it delivered", async () => {
    const chat = await open("live-across-0123456789");
    assert.equal((await chat.next()).type, "history");
    chat.send({ type: "message", id: "q1", text: "How long does shipping take?" });
    const ack = await chat.next();
    assert.equal(ack.type, "ack");
    if (ack.type !== "ack") return;
    const reply = await nextMessage(chat);
    assert.equal(reply.direction, "outbound");
    const stored = await b.store.messages.get(reply.id);
    assert.equal(stored?.conversationId, ack.conversationId);
    // Pushed, but the page has not said it has it: sent, not delivered.
    await statusBecomes(b, ack.conversationId, reply.id, "sent");
    chat.send({ type: "received", id: reply.id });
    await statusBecomes(b, ack.conversationId, reply.id, "delivered");
    const events = await b.store.events.list(ack.conversationId);
    assert.ok(events.some((e) => e.type === "message.delivered"));
    await chat.close();
  });

  it("a reply with no socket open stays unacknowledged, is pushed on reconnect, then delivered", async () => {
    const session = "offline-reply-0123456789";
    const first = await open(session);
    assert.equal((await first.next()).type, "history");
    first.send({ type: "message", id: "q1", text: "Do you fix screens?" });
    const ack = await first.next();
    if (ack.type !== "ack") return assert.fail(JSON.stringify(ack));
    first.send({ type: "received", id: (await nextMessage(first)).id });
    await first.close();

    // A person answers on B while the customer has no socket anywhere.
    const res = await b.app.inject({
      method: "POST",
      url: `/api/v1/conversations/${ack.conversationId}/messages`,
      headers: auth,
      payload: { text: "A person here: yes, same day." },
    });
    assert.equal(res.statusCode, 202, res.body);
    const humanReply = res.json().id as string;
    await statusBecomes(a, ack.conversationId, humanReply, "sent");

    const again = await open(session);
    const history = await again.next();
    assert.ok(history.type === "history" && history.messages.some((m) => m.id === humanReply));
    // The person's first reply comes after the line saying they joined (a notice, sent
    // through the outbox like any reply): both are unacknowledged, so both are pushed again.
    const joined = await nextMessage(again);
    assert.equal(joined.notice, "operator_joined", JSON.stringify(joined));
    const pushed = await nextMessage(again);
    assert.equal(pushed.id, humanReply, "only the unacknowledged replies are pushed again");
    assert.equal(await statusOf(a, ack.conversationId, humanReply), "sent");
    again.send({ type: "received", id: joined.id });
    again.send({ type: "received", id: humanReply });
    await statusBecomes(b, ack.conversationId, humanReply, "delivered");

    // A third connect pushes nothing: the next frame answers a new line, not an old reply.
    const third = await open(session);
    assert.equal((await third.next()).type, "history");
    third.send({ type: "message", id: "q2", text: "Thanks!" });
    assert.equal((await third.next()).type, "ack");
  });

  it("a receipt for another session's reply changes nothing", async () => {
    const owner = await open("owner-session-0123456789");
    assert.equal((await owner.next()).type, "history");
    owner.send({ type: "message", id: "q1", text: "Can I return my phone?" });
    const ack = await owner.next();
    if (ack.type !== "ack") return assert.fail(JSON.stringify(ack));
    const reply = await nextMessage(owner);
    await statusBecomes(b, ack.conversationId, reply.id, "sent");

    const stranger = await open("stranger-session-0123456789");
    assert.equal((await stranger.next()).type, "history");
    stranger.send({ type: "received", id: reply.id });
    const refused = await stranger.next();
    assert.equal(refused.type === "error" && refused.code, "MS_NOT_FOUND");
    assert.equal(await statusOf(b, ack.conversationId, reply.id), "sent");
  });
});
