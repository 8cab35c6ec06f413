import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import type { FastifyBaseLogger } from "fastify";
import pino from "pino";
import { whatsappChannel } from "../../src/channels/whatsapp/whatsapp-channel.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import type { Message } from "../../src/store/index.ts";
import { backends } from "../support/backends.ts";
import {
  type ChannelsApp,
  fixture,
  mainstaySigned,
  startChannelsApp,
  twilioSigned,
  whatsappSigned,
} from "../support/channels-app.ts";
import { connectChat } from "../support/chat-client.ts";
import { startFlakyWebhookRoute } from "../support/flaky-webhook-route.ts";
import { ADMIN_KEY, auth, eventually } from "../support/test-app.ts";
import { openTestService } from "../support/test-service.ts";

/** What an attack left in the store: the message and the sender's identity. */
interface Stored {
  message: Message;
  displayName: string | null;
  address: string;
}

/**
 * Each case sends text a store cannot keep (before: a 500 on PostgreSQL, kept as is on
 * SQLite) through one way in; what is stored has U+FFFD in its place and says so in
 * `meta.sanitized`.
 */
const ATTACKS: {
  name: string;
  send(app: ChannelsApp): Promise<Stored>;
  expect: Partial<Pick<Stored, "displayName" | "address">> & {
    text?: string;
    /** Anything else the case checks on what was stored. */
    check?: (stored: Stored) => void;
    sanitized: { replaced: number; fields: string[] };
  };
}[] = [
  {
    name: "web chat: NUL in the text",
    send: (app) => chat(app, "nulsession0123456789", '"order\\u0000 42"'),
    expect: { text: "order\uFFFD 42", sanitized: { replaced: 1, fields: ["text"] } },
  },
  {
    name: "web chat: a lone surrogate in the text",
    send: (app) => chat(app, "surrogate0123456789a", '"hi \\ud800 there"'),
    expect: { text: "hi \uFFFD there", sanitized: { replaced: 1, fields: ["text"] } },
  },
  {
    name: "generic: NUL in the text",
    send: (app) => generic(app, { id: "g-1", from: "user-1", text: "refund\u0000 please" }),
    expect: { text: "refund\uFFFD please", sanitized: { replaced: 1, fields: ["text"] } },
  },
  {
    name: "generic: NUL in the display name",
    send: (app) => generic(app, { id: "g-2", from: "user-2", name: "Ada\u0000", text: "hello" }),
    expect: {
      displayName: "Ada\uFFFD",
      text: "hello",
      sanitized: { replaced: 1, fields: ["displayName"] },
    },
  },
  {
    name: "generic: NUL in the message id and the address",
    send: (app) => generic(app, { id: "g-3\u0000", from: "user-3\u0000", text: "hello" }),
    expect: {
      address: "user-3\uFFFD",
      sanitized: { replaced: 2, fields: ["providerMessageId", "from"] },
    },
  },
  {
    name: "generic: a lone surrogate in the text",
    send: (app) => generic(app, { id: "g-4", from: "user-4", text: "a\udc00b" }),
    expect: { text: "a\uFFFDb", sanitized: { replaced: 1, fields: ["text"] } },
  },
  {
    name: "generic: a terminal escape sequence in the text",
    send: (app) => generic(app, { id: "g-5", from: "user-5", text: "\u001b[2Jhi\u0007" }),
    expect: { text: "\uFFFD[2Jhi\uFFFD", sanitized: { replaced: 2, fields: ["text"] } },
  },
  {
    name: "WhatsApp: NUL in the text",
    send: (app) =>
      whatsapp(app, fixture("whatsapp/text.json").replace("another color", "another\\u0000 color")),
    expect: {
      text: "Does it come in another\uFFFD color?",
      sanitized: { replaced: 1, fields: ["text"] },
    },
  },
  {
    name: "WhatsApp: NUL in the profile name",
    send: (app) =>
      whatsapp(
        app,
        fixture("whatsapp/image.json")
          .replaceAll("16505551234", "16505559876")
          .replace('"Sheena Nelson"', '"Sheena\\u0000 Nelson"'),
      ),
    expect: {
      displayName: "Sheena\uFFFD Nelson",
      sanitized: { replaced: 1, fields: ["displayName"] },
    },
  },
  {
    name: "WhatsApp: NUL in a button payload kept in meta",
    send: (app) =>
      whatsapp(
        app,
        fixture("whatsapp/button.json").replace(
          '"payload": "Unsubscribe from Promos"',
          '"payload": "promo\\u0000-42"',
        ),
      ),
    expect: {
      check: (s) => assert.deepEqual(s.message.meta["button"], { payload: "promo\uFFFD-42" }),
      sanitized: { replaced: 1, fields: ["meta"] },
    },
  },
  {
    name: "WhatsApp: a lone surrogate in a document's file name",
    send: (app) =>
      whatsapp(app, fixture("whatsapp/document.json").replace("invoice-4821", "invoice\\ud83d")),
    expect: {
      check: (s) => assert.equal(s.message.attachments[0]?.name, "invoice\uFFFD.pdf"),
      sanitized: { replaced: 1, fields: ["attachments"] },
    },
  },
  {
    name: "Twilio: NUL in the Body",
    send: (app) => twilioSms(app, { MessageSid: "SMnul1", Body: "Where\u0000 is it?" }),
    expect: { text: "Where\uFFFD is it?", sanitized: { replaced: 1, fields: ["text"] } },
  },
  {
    name: "Twilio: NUL in a parameter kept in meta",
    send: (app) => twilioSms(app, { MessageSid: "SMnul2", FromCountry: "U\u0000S" }),
    expect: {
      check: (s) => assert.equal(s.message.meta["fromCountry"], "U\uFFFDS"),
      sanitized: { replaced: 1, fields: ["meta"] },
    },
  },
  {
    name: "email: NUL in the subject",
    send: (app) => email(app, `=?UTF-8?B?${Buffer.from("Order\u0000 42").toString("base64")}?=`),
    expect: {
      check: (s) => assert.equal(s.message.meta["subject"], "Order\uFFFD 42"),
      sanitized: { replaced: 1, fields: ["meta"] },
    },
  },
  {
    name: "human reply: NUL in the text and the agent's name",
    send: async (app) => {
      const started = await generic(app, { id: "g-h", from: "user-h", text: "hello" });
      const res = await app.app.inject({
        method: "POST",
        url: `/api/v1/conversations/${started.message.conversationId}/messages`,
        headers: auth,
        payload: { text: "Refund\u0000 sent", agentName: "Ann\u0000" },
      });
      assert.equal(res.statusCode, 202, res.body);
      return { ...started, message: (await app.store.messages.get(res.json().id))! };
    },
    expect: {
      text: "Refund\uFFFD sent",
      check: (s) => assert.equal(s.message.meta["agentName"], "Ann\uFFFD"),
      sanitized: { replaced: 2, fields: ["text", "meta"] },
    },
  },
  {
    name: "proxy: NUL in the user message and the caller's user id",
    send: async (app) => {
      const res = await app.app.inject({
        method: "POST",
        url: "/v1/chat/completions",
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
        payload: {
          model: "gpt-test",
          user: "u\u0000ser",
          messages: [{ role: "user", content: "hello\u0000 there" }],
        },
      });
      assert.equal(res.statusCode, 200, res.body);
      // The exchange is recorded after the answer, through a job.
      const conversation = await eventually(
        async () => (await app.store.conversations.list({ channelId: "proxy", limit: 1 }))[0],
        "the recorded exchange",
      );
      const messages = await app.store.messages.recent(conversation.id, 10);
      return withIdentity(app, messages.find((m) => m.direction === "inbound")!);
    },
    expect: {
      text: "hello\uFFFD there",
      address: "user:u\uFFFDser",
      // One in the caller's id, one in the stored (redacted) text.
      sanitized: { replaced: 2, fields: ["caller", "inbound"] },
    },
  },
];

async function withIdentity(app: ChannelsApp, message: Message): Promise<Stored> {
  const conversation = await app.store.conversations.get(message.conversationId);
  const identity = await app.store.contacts.getIdentity(conversation!.identityId);
  const contact = await app.store.contacts.getContact(conversation!.contactId);
  return { message, displayName: contact!.displayName, address: identity!.address };
}

/** Sends `text` (a JSON string literal, escapes as written) as one web chat frame. */
async function chat(app: ChannelsApp, session: string, text: string): Promise<Stored> {
  const socket = await connectChat(
    `${app.url.replace("http", "ws")}/chat/web/ws?session=${session}`,
  );
  try {
    assert.equal((await socket.next()).type, "history");
    socket.sendRaw(`{"type":"message","id":"c1","text":${text}}`);
    const ack = await socket.next();
    assert.equal(ack.type, "ack", JSON.stringify(ack));
    if (ack.type !== "ack") throw new Error("no ack");
    return withIdentity(app, (await app.store.messages.get(ack.messageId))!);
  } finally {
    await socket.close();
  }
}

async function generic(app: ChannelsApp, body: Record<string, string>): Promise<Stored> {
  const res = await app.app.inject(mainstaySigned("api", JSON.stringify(body)));
  assert.equal(res.statusCode, 202, res.body);
  return withIdentity(app, (await app.store.messages.get(res.json().messageId))!);
}

async function whatsapp(app: ChannelsApp, body: string): Promise<Stored> {
  const res = await app.app.inject(whatsappSigned(body));
  assert.equal(res.statusCode, 200, res.body);
  const id = (JSON.parse(body).entry[0].changes[0].value.messages[0].id as string).replace(
    "\u0000",
    "\uFFFD",
  );
  return withIdentity(app, (await app.store.messages.findInbound("wa", id))!);
}

async function twilioSms(app: ChannelsApp, params: Record<string, string>): Promise<Stored> {
  const form = { ...JSON.parse(fixture("twilio/inbound-sms.json")), ...params };
  const res = await app.app.inject(twilioSigned(form));
  assert.equal(res.statusCode, 200, res.body);
  return withIdentity(app, (await app.store.messages.findInbound("sms", form.MessageSid))!);
}

async function email(app: ChannelsApp, subject: string): Promise<Stored> {
  const raw = [
    "From: Jane Doe <jane@example.org>",
    "To: support@example.com",
    `Subject: ${subject}`,
    "Message-ID: <nul-subject@example.org>",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Where is my order?",
    "",
  ].join("\r\n");
  const res = await app.app.inject(mainstaySigned("email", raw, { contentType: "message/rfc822" }));
  assert.equal(res.statusCode, 202, res.body);
  return withIdentity(app, (await app.store.messages.get(res.json().messageId))!);
}

for (const backend of backends) {
  describe(`text the stores cannot keep is replaced at the edge: ${backend.name}`, () => {
    let app: ChannelsApp;
    let cleanup: () => Promise<void>;
    before(async () => {
      const created = await backend.create();
      cleanup = created.cleanup;
      app = await startChannelsApp({ store: created.options });
    });
    after(async () => {
      await app?.close();
      await cleanup?.();
    });

    for (const attack of ATTACKS) {
      test(attack.name, async () => {
        const stored = await attack.send(app);
        const { expect } = attack;
        if (expect.text !== undefined) assert.equal(stored.message.text, expect.text);
        if (expect.displayName !== undefined) assert.equal(stored.displayName, expect.displayName);
        if (expect.address !== undefined) assert.equal(stored.address, expect.address);
        expect.check?.(stored);
        assert.deepEqual(stored.message.meta["sanitized"], expect.sanitized);
      });
    }

    test("a WhatsApp batch whose first message holds a NUL: both messages are stored", async () => {
      const body = fixture("whatsapp/batch.json").replace(
        "Hi, is my order on its way?",
        "Hi,\\u0000 is my order on its way?",
      );
      const res = await app.app.inject(whatsappSigned(body));
      assert.equal(res.statusCode, 200, res.body);
      const first = await app.store.messages.findInbound("wa", BATCH_FIRST);
      const second = await app.store.messages.findInbound("wa", BATCH_SECOND);
      assert.equal(first?.text, "Hi,\uFFFD is my order on its way?");
      assert.equal(second?.text, "注文をキャンセルしたいです");
    });
  });
}

const BATCH_FIRST = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTk1RjFCRDI1NzE4QkM3Q0EwMgA=";
const BATCH_SECOND = "wamid.HBgMODE5MDEyMzQ1Njc4FQIAEhgUM0E1QzY5QkFCQjQ0RDY2NkE0QzIA";

for (const backend of backends) {
  describe(`one item of a vendor batch that cannot be stored does not keep the others out: ${backend.name}`, () => {
    test("the neighbour is stored, the call is answered 500, the vendor's retry stores the rest", async () => {
      const clock = new ManualClock(Date.UTC(2026, 0, 1));
      const created = await backend.create();
      const { service, store, close } = await openTestService(clock, created.options);
      const logLines: string[] = [];
      const logger: FastifyBaseLogger = pino(
        { level: "info" },
        new Writable({
          write(chunk, _encoding, done) {
            logLines.push(String(chunk));
            done();
          },
        }),
      );
      const channel = whatsappChannel.create(
        whatsappChannel.configSchema.parse({
          id: "wa",
          type: "whatsapp",
          appSecret: "whatsapp-app-secret-123",
          verifyToken: "verify-me-please",
          accessToken: "EAAtoken",
          phoneNumberId: "106540352242922",
        }),
        { logger: pino({ level: "silent" }), clock },
      );
      const app = await startFlakyWebhookRoute({
        channel,
        service,
        failsOn: (m) => m.providerMessageId === BATCH_FIRST,
        logger,
      });
      try {
        const call = whatsappSigned(fixture("whatsapp/batch.json"));

        const first = await app.inject(call);
        assert.equal(first.statusCode, 500, first.body);
        assert.equal(await store.messages.findInbound("wa", BATCH_FIRST), undefined);
        assert.ok(await store.messages.findInbound("wa", BATCH_SECOND), "the neighbour is stored");
        const failure = logLines
          .map((l) => JSON.parse(l))
          .find((l) => l.providerMessageId === BATCH_FIRST);
        assert.ok(failure, "the failing item is logged with its id");
        assert.equal(failure.channelId, "wa");
        assert.doesNotMatch(logLines.join("\n"), /is my order on its way/, "never the text");

        const retry = await app.inject(call);
        assert.equal(retry.statusCode, 200, retry.body);
        assert.ok(await store.messages.findInbound("wa", BATCH_FIRST));
        const conversations = await store.conversations.list({ channelId: "wa", limit: 10 });
        const inbound = await Promise.all(
          conversations.map((c) => store.messages.recent(c.id, 10)),
        );
        assert.equal(inbound.flat().length, 2, "each message stored once");
      } finally {
        await app.close();
        await close();
        await created.cleanup();
      }
    });
  });
}
