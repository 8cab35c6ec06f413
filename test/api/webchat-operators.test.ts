import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ChatMessageView, ServerFrame } from "../../src/channels/index.ts";
import { type ChatClient, connectChat } from "../support/chat-client.ts";
import { auth, queueDrained, startTestApp, type TestApp } from "../support/test-app.ts";

/** The next frame that pushes a message, skipping others. */
async function nextMessage(chat: ChatClient): Promise<ChatMessageView> {
  for (;;) {
    const frame: ServerFrame = await chat.next();
    if (frame.type === "message") return frame.message;
  }
}

describe("web chat: the customer sees who answers", () => {
  let app: TestApp;
  let wsBase: string;
  before(async () => {
    app = await startTestApp();
    wsBase = `${app.url.replace("http", "ws")}/chat/web/ws`;
  });
  after(() => app?.dispose());

  it("shows 'Ana joined' when an operator takes over, and her name on her replies", async () => {
    const session = "operators-session-0123456789";
    const chat = await connectChat(`${wsBase}?session=${session}`);
    await chat.next(); // history
    chat.send({ type: "message", id: "c1", text: "How long does shipping take?" });
    const ack = await chat.next();
    assert.equal(ack.type, "ack");
    const conversationId = ack.type === "ack" ? ack.conversationId : "";
    const botReply = await nextMessage(chat);
    assert.equal(botReply.author, "agent");
    assert.equal(botReply.name, undefined, "the bot's replies carry no person's name");
    await queueDrained(app.store);

    const take = await app.app.inject({
      method: "POST",
      url: `/api/v1/conversations/${conversationId}/take`,
      headers: auth,
      payload: { agentName: "Ana" },
    });
    assert.equal(take.statusCode, 200, take.body);
    const joined = await nextMessage(chat);
    assert.deepEqual(
      [joined.author, joined.notice, joined.name, joined.text],
      ["system", "operator_joined", "Ana", "Ana joined the conversation"],
    );
    chat.send({ type: "received", id: joined.id });

    const reply = await app.app.inject({
      method: "POST",
      url: `/api/v1/conversations/${conversationId}/messages`,
      headers: auth,
      payload: { text: "Hi, I'm looking into it.", agentName: "Ana" },
    });
    assert.equal(reply.statusCode, 202, reply.body);
    const answer = await nextMessage(chat);
    assert.deepEqual(
      [answer.author, answer.name, answer.text],
      ["human", "Ana", "Hi, I'm looking into it."],
    );
    chat.send({ type: "received", id: answer.id });
    await queueDrained(app.store);

    // Taking it again as the same person announces nothing new.
    await app.app.inject({
      method: "POST",
      url: `/api/v1/conversations/${conversationId}/take`,
      headers: auth,
      payload: { agentName: "Ana" },
    });
    await queueDrained(app.store);
    await chat.close();

    // A reload shows the same lines from history.
    const again = await connectChat(`${wsBase}?session=${session}`);
    const history = await again.next();
    assert.equal(history.type, "history");
    const lines = history.type === "history" ? history.messages : [];
    assert.deepEqual(
      lines.map((m) => [m.author, m.name ?? null, m.notice ?? null]),
      [
        ["customer", null, null],
        ["agent", null, null],
        ["system", "Ana", "operator_joined"],
        ["human", "Ana", null],
      ],
    );
    await again.close();
  });

  it("announces an operator who replies to an unassigned web chat", async () => {
    const chat = await connectChat(`${wsBase}?session=operators-session-second-01`);
    await chat.next(); // history
    chat.send({ type: "message", id: "c1", text: "I want to talk to a real person" });
    const ack = await chat.next();
    const conversationId = ack.type === "ack" ? ack.conversationId : "";
    await queueDrained(app.store);
    const reply = await app.app.inject({
      method: "POST",
      url: `/api/v1/conversations/${conversationId}/messages`,
      headers: auth,
      payload: { text: "Sam here, how can I help?" },
    });
    assert.equal(reply.statusCode, 202, reply.body);
    const seen: ChatMessageView[] = [];
    while (seen.at(-1)?.author !== "human") seen.push(await nextMessage(chat));
    const joined = seen.find((m) => m.notice === "operator_joined");
    assert.equal(joined?.text, "admin joined the conversation", "named after the key");
    assert.equal(seen.at(-1)?.name, "admin");
    await chat.close();
  });

  it("serves a page that draws notices and operator names", async () => {
    const html = await (await fetch(`${app.url}/chat/web`)).text();
    assert.match(html, /m\.notice/);
    assert.match(html, /className = "who"/);
  });
});
