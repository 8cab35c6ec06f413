import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { ChannelSendError, type WebhookRequest } from "../../src/channels/index.ts";
import { whatsappChannel } from "../../src/channels/whatsapp/whatsapp-channel.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { MainstayError } from "../../src/shared/errors.ts";
import { type FakeVendor, startFakeVendor } from "../support/fake-vendor.ts";
import { channelContract, outboundMessage, silentLogger } from "./channel-contract.ts";

const appSecret = "4f1c2a9e8b7d6c5f4e3d2c1b0a998877";
const verifyToken = "mainstay-verify-7Qx2";
const accessToken = "EAAGm0PX4ZCpsBAKZC9vtest";
const phoneNumberId = "106540352242922";
const customer = "16505551234";

/** Fixtures are read as raw text: Meta signs the exact bytes it sends. */
function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/channels/whatsapp/${name}`, import.meta.url), "utf8");
}

/** The `X-Hub-Signature-256` value Meta sends: HMAC-SHA256 of the raw body, app secret key. */
function metaSignature(body: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(body, "utf8").digest("hex")}`;
}

function request(body: string, signature: string | null = metaSignature(body)): WebhookRequest {
  return {
    method: "POST",
    url: "https://mainstay.example.com/webhooks/wa",
    headers: {
      "content-type": "application/json",
      ...(signature === null ? {} : { "x-hub-signature-256": signature }),
    },
    rawBody: Buffer.from(body, "utf8"),
  };
}

function createWhatsapp(vendorUrl = "http://127.0.0.1:9", clock = new ManualClock()) {
  const config = whatsappChannel.configSchema.parse({
    id: "wa",
    type: "whatsapp",
    appSecret,
    verifyToken,
    accessToken,
    phoneNumberId,
    apiBase: vendorUrl,
  });
  return whatsappChannel.create(config, {
    logger: silentLogger,
    clock,
  });
}

const sendResponse = JSON.parse(fixture("send-response.json"));
const textBody = fixture("text.json");

channelContract("whatsapp", {
  create: (vendorUrl, { clock }) => createWhatsapp(vendorUrl, clock),
  inbound: () => ({
    request: request(textBody),
    expected: {
      providerMessageId: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
      from: customer,
      displayName: "Sheena Nelson",
      text: "Does it come in another color?",
      meta: { type: "text", phone_number_id: phoneNumberId },
    },
  }),
  tampered: () => request(textBody.replace("another color", "a refund"), metaSignature(textBody)),
  status: () => ({
    request: request(fixture("status-delivered.json")),
    expected: {
      providerMessageId: "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MTE5MjVBOTE3MDk5QUVFM0YA",
      status: "delivered",
    },
  }),
  sendOk: {
    response: { status: 200, body: sendResponse },
    providerMessageId: sendResponse.messages[0].id,
  },
  checkSendRequest(sent, message) {
    assert.equal(sent.method, "POST");
    assert.equal(sent.url, `/v21.0/${phoneNumberId}/messages`);
    assert.equal(sent.headers.authorization, `Bearer ${accessToken}`);
    assert.match(String(sent.headers["content-type"]), /^application\/json/);
    assert.deepEqual(JSON.parse(sent.body), {
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: message.to,
      type: "text",
      text: { body: message.text, preview_url: false },
    });
  },
  sendRejected: {
    response: { status: 400, body: JSON.parse(fixture("send-error-131030.json")) },
    vendorCode: "131030",
  },
  to: customer,
});

describe("whatsapp: subscription handshake", () => {
  const channel = createWhatsapp();
  const query = (overrides: Record<string, string | undefined>) => ({
    query: {
      "hub.mode": "subscribe",
      "hub.verify_token": verifyToken,
      "hub.challenge": "1158201444",
      ...overrides,
    },
  });

  it("echoes hub.challenge as text when the verify token matches", () => {
    assert.deepEqual(channel.handleVerification!(query({})), {
      status: 200,
      body: "1158201444",
      contentType: "text/plain",
    });
  });

  it("refuses a wrong or missing token, or another mode, with 403", () => {
    for (const overrides of [
      { "hub.verify_token": "guess" },
      { "hub.verify_token": undefined },
      { "hub.mode": "unsubscribe" },
    ]) {
      assert.throws(
        () => channel.handleVerification!(query(overrides)),
        (e: unknown) =>
          e instanceof MainstayError && e.code === "MS_VERIFY_TOKEN_INVALID" && e.status === 403,
      );
    }
  });
});

describe("whatsapp: notifications", () => {
  const channel = createWhatsapp();
  const parse = async (name: string) => channel.handleWebhook!(request(fixture(name)));
  const rejects = (req: WebhookRequest, code: string, status: number) =>
    assert.rejects(
      async () => channel.handleWebhook!(req),
      (e: unknown) => e instanceof MainstayError && e.code === code && e.status === status,
    );

  it("rejects a missing signature, bad JSON and an unexpected shape", async () => {
    await rejects(request(textBody, null), "MS_SIGNATURE_MISSING", 401);
    await rejects(request(textBody, "sha256=00"), "MS_SIGNATURE_INVALID", 401);
    await rejects(request("{not json"), "MS_JSON_INVALID", 400);
    await rejects(request('{"object":"whatsapp_business_account"}'), "MS_BAD_REQUEST", 400);
  });

  it("turns interactive button and list replies into their title, keeping the id", async () => {
    const button = (await parse("interactive-button-reply.json")).messages[0]!;
    assert.equal(button.text, "Change");
    assert.deepEqual(button.meta, {
      type: "interactive",
      phone_number_id: phoneNumberId,
      context: {
        from: "15550783881",
        id: "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3NkJBNjJCNTAwQjJDRjZFNjQA",
      },
      interactive: { type: "button_reply", id: "change-button" },
    });
    const list = (await parse("interactive-list-reply.json")).messages[0]!;
    assert.equal(list.text, "Priority Mail Express");
    assert.deepEqual(list.meta?.interactive, { type: "list_reply", id: "priority_express" });
  });

  it("turns a template quick-reply button into its text", async () => {
    const message = (await parse("button.json")).messages[0]!;
    assert.equal(message.text, "Unsubscribe from Promos");
    assert.deepEqual(message.meta?.button, { payload: "Unsubscribe from Promos" });
  });

  it("keeps media as whatsapp-media: references, with the caption as text", async () => {
    const cases = [
      [
        "image.json",
        "This is broken on arrival",
        { url: "whatsapp-media:1003383421387256", contentType: "image/jpeg" },
      ],
      [
        "document.json",
        "Invoice attached",
        {
          url: "whatsapp-media:1264563738516289",
          contentType: "application/pdf",
          name: "invoice-4821.pdf",
        },
      ],
      [
        "audio.json",
        "",
        { url: "whatsapp-media:1493062148691212", contentType: "audio/ogg; codecs=opus" },
      ],
      ["video.json", "", { url: "whatsapp-media:2114371642334101", contentType: "video/mp4" }],
      ["sticker.json", "", { url: "whatsapp-media:1219416483140373", contentType: "image/webp" }],
    ] as const;
    for (const [name, text, attachment] of cases) {
      const message = (await parse(name)).messages[0]!;
      assert.equal(message.text, text, name);
      assert.deepEqual(message.attachments, [attachment], name);
      assert.equal(message.meta?.type, name.replace(".json", ""));
    }
  });

  it("describes a shared location", async () => {
    const message = (await parse("location.json")).messages[0]!;
    assert.equal(
      message.text,
      "Location: 37.44216251868683, -122.16153582049394 (Philz Coffee, 101 Forest Ave, Palo Alto, CA 94301)",
    );
    assert.deepEqual(
      message.meta?.location,
      JSON.parse(fixture("location.json")).entry[0].changes[0].value.messages[0].location,
    );
  });

  it("keeps an unsupported message as empty text with its type", async () => {
    const message = (await parse("unsupported.json")).messages[0]!;
    assert.equal(message.text, "");
    assert.equal(message.meta?.type, "unsupported");
  });

  it("parses several messages and statuses at once, skipping other phone numbers", async () => {
    const result = await parse("batch.json");
    assert.deepEqual(
      result.messages.map((m) => [m.from, m.displayName, m.text]),
      [
        ["16505551234", "Sheena Nelson", "Hi, is my order on its way?"],
        ["819012345678", "Kenji Watanabe", "注文をキャンセルしたいです"],
      ],
    );
    assert.deepEqual(result.statuses, [
      {
        providerMessageId: "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJBMUM0NTdCMjdERjU5MjNGMkEA",
        status: "sent",
      },
      {
        providerMessageId: "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJBMUM0NTdCMjdERjU5MjNGMkEA",
        status: "read",
      },
    ]);
  });

  it("addresses a user who hides their number by business-scoped user id", async () => {
    const notification = JSON.parse(textBody);
    const value = notification.entry[0].changes[0].value;
    value.contacts = [{ profile: { name: "Sheena Nelson" }, user_id: "US.13491208655302741918" }];
    delete value.messages[0].from;
    value.messages[0].from_user_id = "US.13491208655302741918";
    const result = await channel.handleWebhook!(request(JSON.stringify(notification)));
    assert.equal(result.messages[0]!.from, "US.13491208655302741918");
    assert.equal(result.messages[0]!.displayName, "Sheena Nelson");
  });

  it("reports a failed status with the WhatsApp error code and title", async () => {
    const result = await parse("status-failed-131047.json");
    assert.deepEqual(result.statuses, [
      {
        providerMessageId: "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJCNUFEMTY5QjY2RUJBMjlCNzYA",
        status: "failed",
        error: "whatsapp 131047 Re-engagement message",
      },
    ]);
  });

  it("answers 200 so Meta does not resend", () => {
    assert.equal(channel.webhookResponse!([]).status, 200);
  });
});

describe("whatsapp: sending", () => {
  let vendor: FakeVendor;
  let channel: ReturnType<typeof createWhatsapp>;
  const signal = () => AbortSignal.timeout(5000);
  before(async () => {
    vendor = await startFakeVendor(() => ({ status: 200, body: sendResponse }));
    channel = createWhatsapp(vendor.url);
  });
  after(() => vendor.close());
  const lastBody = () => JSON.parse(vendor.requests.at(-1)!.body);

  it("sends meta.template as a template message", async () => {
    const components = [{ type: "body", parameters: [{ type: "text", text: "4821" }] }];
    await channel.send(
      outboundMessage(customer, {
        meta: { template: { name: "order_update", language: "en_US", components } },
      }),
      signal(),
    );
    assert.deepEqual(lastBody(), {
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: customer,
      type: "template",
      template: { name: "order_update", language: { code: "en_US" }, components },
    });
  });

  it("quotes the customer's message only when meta.replyToCustomer is true", async () => {
    const inReplyTo = "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=";
    await channel.send(outboundMessage(customer, { inReplyTo }), signal());
    assert.equal(lastBody().context, undefined);
    await channel.send(
      outboundMessage(customer, { inReplyTo, meta: { replyToCustomer: true } }),
      signal(),
    );
    assert.deepEqual(lastBody().context, { message_id: inReplyTo });
  });

  it("refuses a malformed template for good without calling Meta", async () => {
    const before = vendor.requests.length;
    const error = await channel
      .send(outboundMessage(customer, { meta: { template: { name: "order_update" } } }), signal())
      .catch((e) => e);
    assert.ok(error instanceof ChannelSendError && !error.retryable);
    assert.match(error.message, /meta\.template\.language/);
    assert.equal(vendor.requests.length, before);
  });

  it("retries Meta's throttling errors even when answered with HTTP 400", async () => {
    vendor.respond = () => ({ status: 400, body: JSON.parse(fixture("send-error-130429.json")) });
    const error = await channel.send(outboundMessage(customer), signal()).catch((e) => e);
    vendor.respond = () => ({ status: 200, body: sendResponse });
    assert.ok(error instanceof ChannelSendError && error.retryable);
    assert.equal(error.options.vendorCode, "130429");
  });
});
