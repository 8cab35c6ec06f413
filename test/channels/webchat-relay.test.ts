import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pino from "pino";
import { WebchatRelay } from "../../src/channels/index.ts";
import { systemClock } from "../../src/shared/clock.ts";
import type { Store } from "../../src/store/index.ts";
import { backends } from "../support/backends.ts";
import { connectChat } from "../support/chat-client.ts";
import { eventually, startTestApp, type TestApp } from "../support/test-app.ts";

/** A relay whose LISTEN callback the test calls itself, as a reconnect would. */
async function relayWithListener(store: Store) {
  let notify: ((payload: string) => void) | undefined;
  const relay = new WebchatRelay({
    store: {
      ...store,
      listen: async (_channel, onNotify) => {
        notify = onNotify;
      },
    },
    clock: systemClock,
    logger: pino({ level: "silent" }),
  });
  await relay.start();
  return { relay, notify: (payload: string) => notify!(payload) };
}

for (const backend of backends) {
  describe(`${backend.name}: web chat relay`, () => {
    let app: TestApp;
    let cleanup: () => Promise<void>;
    const session = "relay-session-0123456789";
    let replyId: string;

    before(async () => {
      const created = await backend.create();
      cleanup = created.cleanup;
      app = await startTestApp({ store: created.options });
      // A reply the page got but never acknowledged, its socket closed since.
      const chat = await connectChat(
        `${app.url.replace("http", "ws")}/chat/web/ws?session=${session}`,
      );
      await chat.next(); // history
      chat.send({ type: "message", id: "q1", text: "How long does shipping take?" });
      await chat.next(); // ack
      const reply = await chat.next();
      assert.equal(reply.type, "message");
      replyId = reply.type === "message" ? reply.message.id : "";
      await chat.close();
      await eventually(
        async () => ((await app.store.messages.get(replyId))?.status === "sent" ? true : undefined),
        "the reply marked sent",
      );
    });
    after(async () => {
      await app?.dispose();
      await cleanup?.();
    });

    it("after a LISTEN reconnect (empty payload) pushes the unacknowledged replies of open sessions", async () => {
      const { relay, notify } = await relayWithListener(app.store);
      const mine: string[] = [];
      const others: string[] = [];
      relay.attach("web", session, { send: (data) => mine.push(data) });
      relay.attach("web", "other-session-0123456789", { send: (data) => others.push(data) });
      notify("");
      const frame = await eventually(async () => mine[0], "the pushed reply");
      assert.equal(JSON.parse(frame).message.id, replyId);
      assert.deepEqual(others, []);
    });

    it("pushes an announced reply to its session only, and ignores unknown ids", async () => {
      const { relay, notify } = await relayWithListener(app.store);
      const mine: string[] = [];
      const detach = relay.attach("web", session, { send: (data) => mine.push(data) });
      notify("msg_not_in_this_schema");
      notify(replyId);
      await eventually(async () => mine[0], "the pushed reply");
      assert.equal(mine.length, 1);
      detach();
      notify(replyId);
      await new Promise((r) => setImmediate(r));
      assert.equal(mine.length, 1, "a detached socket gets nothing");
    });

    it("pushes nothing once the reply is acknowledged", async () => {
      const { relay, notify } = await relayWithListener(app.store);
      assert.equal(await relay.acknowledge("web", "other-session-0123456789", replyId), false);
      assert.equal(await relay.acknowledge("web", session, replyId), true);
      assert.equal((await app.store.messages.get(replyId))?.status, "delivered");
      const mine: string[] = [];
      relay.attach("web", session, { send: (data) => mine.push(data) });
      const conversation = (await app.store.messages.get(replyId))!.conversationId;
      await relay.pushPending("web", session, conversation);
      notify(replyId);
      notify("");
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(mine, []);
    });
  });
}
