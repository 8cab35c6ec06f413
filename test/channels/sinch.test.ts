import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
// Sinch's own signing helpers (what `validateWebhookSignature` uses), to sign test callbacks.
import { calculateWebhookSignature, computeSignedData } from "@sinch/sdk-client";
import type { Channel, WebhookRequest } from "../../src/channels/index.ts";
import { ChannelSendError } from "../../src/channels/index.ts";
import { sinchChannel } from "../../src/channels/sinch/sinch-channel.ts";
import { sinchEndpoints } from "../../src/channels/sinch/sinch-config.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { MainstayError } from "../../src/shared/errors.ts";
import { type FakeVendor, startFakeVendor, type VendorRequest } from "../support/fake-vendor.ts";
import { channelContract, outboundMessage, silentLogger } from "./channel-contract.ts";

// Callback and response bodies follow the examples in Sinch's Conversation API docs.
const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/channels/sinch/${name}`, import.meta.url), "utf8");
const json = (name: string) => JSON.parse(fixture(name));

const webhookSecret = "sinch-webhook-secret-7f3a";
const projectId = "9f2c1b7e-4d3a-4c8e-a1f0-6b5d2e7c9a10";
const appId = "01HQ8ZJ5T4W1M2K9X7B3C6D8EF";
const token = json("token-response.json");
const sendResponse = json("send-response.json");
const sendPath = `/v1/projects/${projectId}/messages:send`;

function createSinch(apiBase: string, authBase: string, clock: ManualClock): Channel {
  const config = sinchChannel.configSchema.parse({
    id: "sinch",
    type: "sinch",
    projectId,
    appId,
    keyId: "key-id-1",
    keySecret: "key-secret-1",
    webhookSecret,
    apiBase,
    authBase,
  });
  return sinchChannel.create(config, { logger: silentLogger, clock });
}

function signedRequest(
  body: string,
  clock: ManualClock,
  headers: Record<string, string | undefined> = {},
): WebhookRequest {
  const nonce = "01HQ9A2C7V8B9N0M1K2J3H4G5F";
  const timestamp = String(Math.floor(clock.now() / 1000));
  const signature = calculateWebhookSignature(
    computeSignedData(body, nonce, timestamp),
    webhookSecret,
  );
  return {
    method: "POST",
    url: "https://mainstay.example.com/webhooks/sinch",
    headers: {
      "content-type": "application/json",
      "x-sinch-webhook-signature": signature,
      "x-sinch-webhook-signature-nonce": nonce,
      "x-sinch-webhook-signature-timestamp": timestamp,
      "x-sinch-webhook-signature-algorithm": "HmacSHA256",
      ...headers,
    },
    rawBody: Buffer.from(body),
  };
}

/** A fake Sinch: the token endpoint and the messages endpoint told apart by path. */
function sinchResponder(req: VendorRequest) {
  if (req.url === "/oauth2/token") return { status: 200, body: token };
  return { status: 200, body: sendResponse };
}

// The contract scripts every answer of its own fake vendor, so tokens come from a second one.
const auth = await startFakeVendor(sinchResponder);
after(() => auth.close());

channelContract("sinch", {
  create: (vendorUrl, { clock }) => createSinch(vendorUrl, auth.url, clock),
  inbound: (clock) => ({
    request: signedRequest(fixture("inbound-text.json"), clock),
    expected: {
      providerMessageId: "01HQ9A2B3C4D5E6F7G8H9J0KMN",
      from: "46732001122",
      text: "Hi, where is my order #4417?",
      meta: {
        channel: "SMS",
        contactId: "01HQ9A29PNMKJHGFEDCBA98765",
        conversationId: "01HQ9A2A0Z9Y8X7W6V5T4S3R2Q",
      },
    },
  }),
  tampered: (clock) => {
    const request = signedRequest(fixture("inbound-text.json"), clock);
    return { ...request, rawBody: Buffer.from(request.rawBody.toString().replace("4417", "4418")) };
  },
  status: (clock) => ({
    request: signedRequest(fixture("delivery-failed.json"), clock),
    expected: {
      providerMessageId: "01HQ9A3F4G5H6J7K8L9M0N1P2Q",
      status: "failed",
      error:
        "sinch OUTSIDE_ALLOWED_SENDING_WINDOW The underlying channel reported: Message failed to send because more than 24 hours have passed since the customer last replied to this number",
    },
  }),
  sendOk: {
    response: { status: 200, body: sendResponse },
    providerMessageId: "01HQ9A3F4G5H6J7K8L9M0N1P2Q",
  },
  checkSendRequest(sent, message) {
    assert.equal(sent.method, "POST");
    assert.equal(sent.url, sendPath);
    assert.equal(sent.headers.authorization, `Bearer ${token.access_token}`);
    assert.deepEqual(JSON.parse(sent.body), {
      app_id: appId,
      recipient: {
        identified_by: { channel_identities: [{ channel: "SMS", identity: message.to }] },
      },
      message: { text_message: { text: message.text } },
      correlation_id: message.id,
    });
  },
  sendRejected: { response: { status: 400, body: json("send-error.json") }, vendorCode: "400" },
  to: "46732001122",
});

describe("sinch callback signature", () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
  const channel = createSinch("http://127.0.0.1:9", "http://127.0.0.1:9", clock);
  const body = fixture("inbound-text.json");
  const rejectsWith = (request: WebhookRequest, code: string) =>
    assert.rejects(
      async () => channel.handleWebhook!(request),
      (e: unknown) => e instanceof MainstayError && e.code === code && e.status === 401,
    );

  it("accepts a callback signed with Sinch's SDK helpers", async () => {
    const result = await channel.handleWebhook!(signedRequest(body, clock));
    assert.equal(result.messages.length, 1);
  });

  it("rejects a changed signature, nonce or timestamp", async () => {
    const good = signedRequest(body, clock);
    const headers = good.headers as Record<string, string>;
    const later = String(Number(headers["x-sinch-webhook-signature-timestamp"]) + 1);
    await rejectsWith(
      { ...good, headers: { ...headers, "x-sinch-webhook-signature-nonce": "other" } },
      "MS_SIGNATURE_INVALID",
    );
    await rejectsWith(
      { ...good, headers: { ...headers, "x-sinch-webhook-signature-timestamp": later } },
      "MS_SIGNATURE_INVALID",
    );
    await rejectsWith(
      signedRequest(body, clock, { "x-sinch-webhook-signature": "bm90IGl0" }),
      "MS_SIGNATURE_INVALID",
    );
  });

  it("rejects a missing header and an unsupported algorithm", async () => {
    for (const name of ["", "-nonce", "-timestamp", "-algorithm"]) {
      const header = `x-sinch-webhook-signature${name}`;
      await rejectsWith(
        signedRequest(body, clock, { [header]: undefined }),
        "MS_SIGNATURE_MISSING",
      );
    }
    await rejectsWith(
      signedRequest(body, clock, { "x-sinch-webhook-signature-algorithm": "HmacSHA1" }),
      "MS_SIGNATURE_INVALID",
    );
  });

  it("rejects a timestamp outside maxClockSkewSeconds, either way", async () => {
    const signedNow = signedRequest(body, clock);
    clock.advance(299_000);
    await channel.handleWebhook!(signedNow);
    clock.advance(2_000);
    await rejectsWith(signedNow, "MS_SIGNATURE_STALE");
    const fromTheFuture = signedRequest(body, clock);
    clock.advance(-301_000);
    await rejectsWith(fromTheFuture, "MS_SIGNATURE_STALE");
  });

  it("gives the nonce for the route to accept once, until the timestamp leaves the window", async () => {
    const signed = signedRequest(body, clock);
    const timestamp = Number(signed.headers["x-sinch-webhook-signature-timestamp"]);
    assert.deepEqual((await channel.handleWebhook!(signed)).nonce, {
      value: "01HQ9A2C7V8B9N0M1K2J3H4G5F",
      expiresAt: (timestamp + 301) * 1000,
    });
  });
});

describe("sinch callbacks", () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
  const channel = createSinch("http://127.0.0.1:9", "http://127.0.0.1:9", clock);
  const handle = (body: string) => channel.handleWebhook!(signedRequest(body, clock));

  it("maps each delivery status", async () => {
    const report = json("delivery-delivered.json");
    const expected = {
      QUEUED_ON_CHANNEL: ["sent"],
      DELIVERED: ["delivered"],
      READ: ["read"],
      SWITCHING_CHANNEL: [],
    };
    for (const [status, statuses] of Object.entries(expected)) {
      report.message_delivery_report.status = status;
      const result = await handle(JSON.stringify(report));
      assert.deepEqual(
        result.statuses.map((s) => s.status),
        statuses,
        status,
      );
      assert.equal(result.messages.length, 0);
    }
  });

  it("turns an inbound media message into an attachment", async () => {
    const result = await handle(fixture("inbound-media.json"));
    assert.deepEqual(result.messages, [
      {
        providerMessageId: "01HQ9A5QXW2E3R4T5Y6U7I8O9P",
        from: "46732001122",
        text: "",
        attachments: [
          {
            url: "https://storage.conversation.api.sinch.com/media/01HQ9A5QXW2E3R4T5Y6U7I8O9P.jpg",
          },
        ],
        meta: {
          channel: "WHATSAPP",
          contactId: "01HQ9A29PNMKJHGFEDCBA98765",
          conversationId: "01HQ9A2A0Z9Y8X7W6V5T4S3R2Q",
        },
      },
    ]);
  });

  it("reads a choice response as its postback data", async () => {
    const result = await handle(fixture("inbound-choice.json"));
    assert.equal(result.messages[0]?.text, "track_order");
    assert.equal(result.messages[0]?.from, "2742085512340733");
    assert.equal(result.messages[0]?.meta?.channel, "MESSENGER");
  });

  it("acknowledges other triggers and unsupported message kinds with nothing to store", async () => {
    for (const name of ["conversation-start.json", "inbound-location.json"]) {
      const { messages, statuses } = await handle(fixture(name));
      assert.deepEqual({ messages, statuses }, { messages: [], statuses: [] }, name);
    }
  });

  it("answers 400 to a body that is not a callback", async () => {
    await assert.rejects(
      async () => handle("not json"),
      (e: unknown) => e instanceof MainstayError && e.code === "MS_JSON_INVALID",
    );
    await assert.rejects(
      async () => handle(JSON.stringify({ message: { id: "x" } })),
      (e: unknown) => e instanceof MainstayError && e.code === "MS_BAD_REQUEST",
    );
  });
});

describe("sinch send", () => {
  let vendor: FakeVendor;
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
  const signal = () => AbortSignal.timeout(5000);
  const tokenRequests = () => vendor.requests.filter((r) => r.url === "/oauth2/token");
  const sends = () => vendor.requests.filter((r) => r.url === sendPath);
  const create = () => createSinch(vendor.url, vendor.url, clock);

  before(async () => {
    vendor = await startFakeVendor(sinchResponder);
  });
  after(() => vendor?.close());

  it("asks for a token with the access key, then reuses it until it expires", async () => {
    vendor.requests.length = 0;
    const channel = create();
    await channel.send(outboundMessage("46732001122"), signal());
    await channel.send(outboundMessage("46732001122"), signal());
    assert.equal(tokenRequests().length, 1);
    const [first] = tokenRequests();
    const basic = Buffer.from("key-id-1:key-secret-1").toString("base64");
    assert.equal(first!.headers.authorization, `Basic ${basic}`);
    assert.equal(first!.headers["content-type"], "application/x-www-form-urlencoded");
    assert.equal(first!.body, "grant_type=client_credentials");

    clock.advance((token.expires_in - 60) * 1000 - 1);
    await channel.send(outboundMessage("46732001122"), signal());
    assert.equal(tokenRequests().length, 1, "still valid just before the safety margin");
    clock.advance(1);
    await channel.send(outboundMessage("46732001122"), signal());
    assert.equal(tokenRequests().length, 2, "renewed once inside the safety margin");
  });

  it("shares one token request between concurrent sends", async () => {
    vendor.requests.length = 0;
    const channel = create();
    await Promise.all([1, 2, 3].map(() => channel.send(outboundMessage("46732001122"), signal())));
    assert.equal(tokenRequests().length, 1);
    assert.equal(sends().length, 3);
  });

  it("drops a token the API refuses and retries with a new one", async () => {
    vendor.requests.length = 0;
    const channel = create();
    await channel.send(outboundMessage("46732001122"), signal());
    vendor.respond = (req) =>
      req.url === sendPath
        ? { status: 401, body: { error: { code: 401, status: "UNAUTHENTICATED" } } }
        : sinchResponder(req);
    const error = await channel.send(outboundMessage("46732001122"), signal()).catch((e) => e);
    assert.ok(error instanceof ChannelSendError);
    assert.equal(error.retryable, true);
    vendor.respond = sinchResponder;
    await channel.send(outboundMessage("46732001122"), signal());
    assert.equal(tokenRequests().length, 2);
  });

  it("gives up when the access key is refused", async () => {
    vendor.respond = (req) =>
      req.url === "/oauth2/token"
        ? { status: 401, body: { error: "invalid_client", error_description: "bad key" } }
        : sinchResponder(req);
    const error = await create()
      .send(outboundMessage("46732001122"), signal())
      .catch((e) => e);
    vendor.respond = sinchResponder;
    assert.ok(error instanceof ChannelSendError);
    assert.equal(error.retryable, false);
    assert.equal(error.options.vendorCode, "invalid_client");
  });

  it("sends an attachment as media, and with text as a card", async () => {
    vendor.requests.length = 0;
    const channel = create();
    const photo = { url: "https://cdn.example.com/label.png", name: "label.png" };
    await channel.send(
      outboundMessage("46732001122", { text: "", attachments: [photo] }),
      signal(),
    );
    await channel.send(outboundMessage("46732001122", { attachments: [photo] }), signal());
    const media = { url: photo.url, filename_override: "label.png" };
    assert.deepEqual(
      sends().map((r) => JSON.parse(r.body).message),
      [
        { media_message: media },
        { card_message: { description: "Your order ships tomorrow.", media_message: media } },
      ],
    );
  });
});

describe("sinch config", () => {
  it("derives the API host from the region", () => {
    const config = sinchChannel.configSchema.parse({
      id: "sinch",
      type: "sinch",
      projectId: "p1",
      appId: "a1",
      keyId: "k",
      keySecret: "s",
      webhookSecret: "w",
      region: "eu",
    });
    assert.deepEqual(sinchEndpoints(config), {
      token: "https://auth.sinch.com/oauth2/token",
      send: "https://eu.conversation.api.sinch.com/v1/projects/p1/messages:send",
    });
    assert.equal(config.channel, "SMS");
    assert.equal(config.maxClockSkewSeconds, 300);
  });
});
