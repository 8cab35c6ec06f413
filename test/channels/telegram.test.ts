import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import pino from "pino";
import {
  ChannelSendError,
  channelTraitsOf,
  channelTypes,
  type WebhookRequest,
} from "../../src/channels/index.ts";
import {
  TELEGRAM_SECRET_HEADER,
  telegramChannel,
} from "../../src/channels/telegram/telegram-channel.ts";
import { parseConfigText } from "../../src/config/index.ts";
import { type Mainstay, startMainstay } from "../../src/main.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { MainstayError } from "../../src/shared/errors.ts";
import { fixture } from "../support/channels-app.ts";
import { type FakeVendor, startFakeVendor } from "../support/fake-vendor.ts";
import { ADMIN_KEY, auth, eventually, KNOWLEDGE_DIR } from "../support/test-app.ts";
import { channelContract, outboundMessage, silentLogger } from "./channel-contract.ts";

const botToken = "7012345678:AAH3kq9PzX_test-token";
const secretToken = "mainstay-telegram-secret_42";
const chatId = "412587263";

function request(body: string, secret: string | null = secretToken): WebhookRequest {
  return {
    method: "POST",
    url: "https://mainstay.example.com/webhooks/tg",
    headers: {
      "content-type": "application/json",
      ...(secret === null ? {} : { [TELEGRAM_SECRET_HEADER]: secret }),
    },
    rawBody: Buffer.from(body, "utf8"),
  };
}

function createTelegram(apiBase = "http://127.0.0.1:9", clock = new ManualClock()) {
  const config = telegramChannel.configSchema.parse({
    id: "tg",
    type: "telegram",
    botToken,
    secretToken,
    apiBase,
  });
  return telegramChannel.create(config, { logger: silentLogger, clock });
}

const text = fixture("telegram/text.json");
const sendResponse = JSON.parse(fixture("telegram/send-response.json"));

channelContract("telegram", {
  create: (vendorUrl, { clock }) => createTelegram(vendorUrl, clock),
  inbound: () => ({
    request: request(text),
    expected: {
      providerMessageId: `${chatId}:1187`,
      from: chatId,
      displayName: "Lena Vogt",
      text: "How long does shipping take?",
    },
  }),
  tampered: () => request(text, "a-guessed-secret"),
  sendOk: { response: { status: 200, body: sendResponse }, providerMessageId: `${chatId}:1189` },
  checkSendRequest(sent, message) {
    assert.equal(sent.method, "POST");
    assert.equal(sent.url, `/bot${botToken}/sendMessage`);
    assert.match(String(sent.headers["content-type"]), /^application\/json/);
    assert.deepEqual(JSON.parse(sent.body), { chat_id: message.to, text: message.text });
  },
  sendRejected: {
    response: { status: 403, body: JSON.parse(fixture("telegram/send-error-403.json")) },
    vendorCode: "403",
  },
  to: chatId,
});

describe("telegram: updates and sends", () => {
  const channel = createTelegram();

  it("refuses a call without the secret-token header", async () => {
    await assert.rejects(
      async () => channel.handleWebhook!(request(text, null)),
      (e: unknown) => e instanceof MainstayError && e.code === "MS_SIGNATURE_MISSING",
    );
  });

  it("keeps the sender's facts and answers nothing for a photo without caption", async () => {
    const [message] = (await channel.handleWebhook!(request(text))).messages;
    assert.deepEqual(message!.meta, {
      telegramMessageId: 1187,
      chatType: "private",
      sentAt: 1764720000_000,
      username: "lenavogt",
      languageCode: "de",
    });
    const photo = await channel.handleWebhook!(request(fixture("telegram/photo-no-caption.json")));
    assert.deepEqual(photo.messages, []);
  });

  it("stores an edit as its own message", async () => {
    const [edit] = (await channel.handleWebhook!(request(fixture("telegram/edited.json"))))
      .messages;
    assert.equal(edit!.providerMessageId, `${chatId}:1187:edited`);
    assert.equal(edit!.text, "How long does shipping to Austria take?");
  });

  it("refuses a body that is not an update with 400", async () => {
    for (const body of ["not json", JSON.stringify({ message: { text: "hi" } })]) {
      await assert.rejects(
        async () => channel.handleWebhook!(request(body)),
        (e: unknown) => e instanceof MainstayError && e.status === 400,
      );
    }
  });

  describe("against a stand-in Bot API", () => {
    let vendor: FakeVendor;
    before(async () => {
      vendor = await startFakeVendor();
    });
    after(() => vendor?.close());

    it("threads a reply under the customer's message", async () => {
      vendor.respond = () => ({ status: 200, body: sendResponse });
      const tg = createTelegram(vendor.url);
      await tg.send(
        outboundMessage(chatId, { inReplyToMeta: { telegramMessageId: 1187 } }),
        AbortSignal.timeout(5000),
      );
      assert.deepEqual(JSON.parse(vendor.requests.at(-1)!.body).reply_parameters, {
        message_id: 1187,
        allow_sending_without_reply: true,
      });
    });

    it("waits as long as a 429's body says (parameters.retry_after)", async () => {
      vendor.respond = () => ({
        status: 429,
        body: JSON.parse(fixture("telegram/send-error-429.json")),
      });
      const error = await createTelegram(vendor.url)
        .send(outboundMessage(chatId), AbortSignal.timeout(5000))
        .catch((e) => e);
      assert.ok(error instanceof ChannelSendError);
      assert.equal(error.retryable, true);
      assert.equal(error.options.retryAfterMs, 12_000);
      assert.equal(error.options.vendorCode, "429");
    });
  });
});

describe("telegram: one registry line", () => {
  it("is a registered type whose traits compliance and guardrails read", () => {
    assert.ok(channelTypes.includes("telegram"));
    assert.deepEqual(channelTraitsOf("telegram"), {
      maxChars: 4096,
      addresses: "opaque",
      confirmsOptOut: false,
      receipts: false,
      idempotentSends: false,
      retriesRefused: true,
    });
  });
});

describe("telegram: end to end", () => {
  let vendor: FakeVendor;
  let app: Mainstay;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "mainstay-telegram-"));
    vendor = await startFakeVendor(() => ({ status: 200, body: sendResponse }));
    const yaml = `
server: { port: 0, host: 127.0.0.1, egress: { allow: ["127.0.0.0/8", "::1", localhost] } }
storage: { dataDir: ${JSON.stringify(dir)} }
agent: { id: support, type: builtin, knowledgeDir: ${JSON.stringify(KNOWLEDGE_DIR)} }
channels:
  - { id: tg, type: telegram, botToken: "${botToken}", secretToken: ${secretToken}, apiBase: ${vendor.url} }
limits: { coalesceMs: 0 }
outbox: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50, pollIntervalMs: 20 }
`;
    app = await startMainstay(parseConfigText(yaml, join(dir, "mainstay.yaml")), {
      env: { MAINSTAY_ADMIN_KEY: ADMIN_KEY },
      logger: pino({ level: "silent" }),
    });
  });
  after(async () => {
    await app?.close();
    await vendor?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("answers a customer's message through sendMessage, threaded, and marks it sent", async () => {
    const res = await app.app.inject({
      method: "POST",
      url: "/webhooks/tg",
      headers: { "content-type": "application/json", [TELEGRAM_SECRET_HEADER]: secretToken },
      payload: text,
    });
    assert.equal(res.statusCode, 202);
    const { conversationId } = res.json();
    const reply = await eventually(async () => {
      const r = await app.app.inject({
        url: `/api/v1/conversations/${conversationId}/messages`,
        headers: auth,
      });
      return r.json().data.find((m: { status: string }) => m.status === "sent");
    }, "the reply to be sent");
    assert.match(reply.text, /business days/);
    const sent = vendor.requests.find((r) => r.url === `/bot${botToken}/sendMessage`);
    assert.ok(sent, "sendMessage was called");
    const body = JSON.parse(sent.body);
    assert.equal(body.chat_id, chatId);
    assert.equal(body.reply_parameters.message_id, 1187);
  });

  it("refuses a call with the wrong secret token", async () => {
    const res = await app.app.inject({
      method: "POST",
      url: "/webhooks/tg",
      headers: { "content-type": "application/json", [TELEGRAM_SECRET_HEADER]: "wrong" },
      payload: text,
    });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error.code, "MS_SIGNATURE_INVALID");
  });
});
