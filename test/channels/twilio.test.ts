import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import twilio from "twilio";
import type { Channel, WebhookRequest } from "../../src/channels/index.ts";
import { twilioChannel } from "../../src/channels/twilio/twilio-channel.ts";
import {
  TWILIO_SIGNATURE_HEADER,
  verifyTwilioSignature,
} from "../../src/channels/twilio/twilio-signature.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { MainstayError } from "../../src/shared/errors.ts";
import { startFakeVendor } from "../support/fake-vendor.ts";
import { channelContract, outboundMessage, silentLogger } from "./channel-contract.ts";

type Params = Record<string, string>;

const fixture = (name: string): Params =>
  JSON.parse(
    readFileSync(new URL(`../fixtures/channels/twilio/${name}.json`, import.meta.url), "utf8"),
  );

const accountSid = "AC3c7e9d2b5f8a41c6b0e1d4f7a2b9c8e5";
const authToken = "9f3b2c7d1e8a4f6b0c5d2e9a7b1f3c8d";
const publicUrl = "https://support.example.com";
const webhookUrl = `${publicUrl}/webhooks/sms`;
const from = "+14155552671";
const customer = "+14155550142";

function createTwilio(config: Record<string, string | boolean>, deps = {}): Channel {
  const parsed = twilioChannel.configSchema.parse({
    id: "sms",
    type: "twilio",
    accountSid,
    authToken,
    ...config,
  });
  return twilioChannel.create(parsed, {
    logger: silentLogger,
    clock: new ManualClock(),
    publicUrl,
    ...deps,
  });
}

/** A webhook as Twilio sends it, signed by the official SDK. */
function signed(params: Params, options: { url?: string; signedUrl?: string } = {}) {
  const url = options.url ?? webhookUrl;
  return {
    method: "POST",
    url,
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      [TWILIO_SIGNATURE_HEADER]: twilio.getExpectedTwilioSignature(
        authToken,
        options.signedUrl ?? url,
        params,
      ),
    },
    rawBody: Buffer.from(new URLSearchParams(params).toString()),
  } satisfies WebhookRequest;
}

const basicAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}`;
const messagesPath = `/2010-04-01/Accounts/${accountSid}/Messages.json`;

channelContract("twilio", {
  create: (vendorUrl, deps) => createTwilio({ from, apiBase: vendorUrl }, deps),
  inbound: () => ({
    request: signed(fixture("inbound-sms")),
    expected: {
      providerMessageId: "SM1f0e8ae6ade43cb3c0ce4525424e404f",
      from: customer,
      text: "Hi, where is my order #4821? It was due yesterday.",
      attachments: [],
      meta: { to: from, numSegments: 1, fromCountry: "US" },
    },
  }),
  tampered: () => {
    const request = signed(fixture("inbound-sms"));
    const body = request.rawBody.toString().replace("order", "refund");
    return { ...request, rawBody: Buffer.from(body) };
  },
  status: () => ({
    request: signed(fixture("status-delivered")),
    expected: { providerMessageId: "SM6d2b8f4a1c9e47b3a5d0e2f8c4b6a9d1", status: "delivered" },
  }),
  sendOk: {
    response: { status: 201, body: fixture("message-created") },
    providerMessageId: "SM6d2b8f4a1c9e47b3a5d0e2f8c4b6a9d1",
  },
  checkSendRequest(sent, message) {
    assert.equal(sent.method, "POST");
    assert.equal(sent.url, messagesPath);
    assert.equal(sent.headers.authorization, basicAuth);
    assert.equal(sent.headers["content-type"], "application/x-www-form-urlencoded");
    assert.equal(sent.headers["i-twilio-idempotency-token"], message.id);
    assert.deepEqual(Object.fromEntries(new URLSearchParams(sent.body)), {
      To: message.to,
      From: from,
      Body: message.text,
      StatusCallback: `${publicUrl}/webhooks/sms`,
    });
  },
  sendRejected: {
    response: { status: 400, body: fixture("error-invalid-to") },
    vendorCode: "21211",
  },
  to: customer,
});

describe("twilio signature", () => {
  const accepts = (request: WebhookRequest, params: [string, string][]) => {
    try {
      verifyTwilioSignature(authToken, request, params);
      return true;
    } catch (e) {
      assert.ok(e instanceof MainstayError && e.status === 401);
      return false;
    }
  };

  it("accepts exactly what twilio.validateRequest accepts", () => {
    const urls = [
      webhookUrl,
      "https://support.example.com:443/webhooks/sms",
      "https://support.example.com:8443/webhooks/sms?tenant=north",
      "http://127.0.0.1:3000/webhooks/sms",
      "https://support.example.com/webhooks/other",
    ];
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,12}$/);
    fc.assert(
      fc.property(
        fc.dictionary(name, fc.string({ unit: "binary", maxLength: 40 }), { maxKeys: 8 }),
        fc.constantFrom(...urls),
        fc.constantFrom(...urls),
        fc.option(fc.tuple(name, fc.string({ maxLength: 5 }))),
        (params, signedUrl, url, tamper) => {
          const request = signed(params, { url, signedUrl });
          const received = tamper ? { ...params, [tamper[0]]: tamper[1] } : params;
          const signature = request.headers[TWILIO_SIGNATURE_HEADER];
          assert.equal(
            accepts(request, Object.entries(received)),
            twilio.validateRequest(authToken, signature, url, received),
          );
        },
      ),
    );
  });

  it("accepts the fixture and rejects a changed parameter, URL or token", () => {
    const params = fixture("inbound-mms");
    const entries = Object.entries(params);
    assert.ok(accepts(signed(params), entries));
    const changed = entries.map(([k, v]): [string, string] => [k, k === "Body" ? "refund" : v]);
    assert.ok(!accepts(signed(params), changed));
    assert.ok(
      !accepts(signed(params, { url: `${webhookUrl}?x=1`, signedUrl: webhookUrl }), entries),
    );
    const otherToken = { ...signed(params) };
    otherToken.headers = {
      ...otherToken.headers,
      [TWILIO_SIGNATURE_HEADER]: twilio.getExpectedTwilioSignature(
        "0".repeat(32),
        webhookUrl,
        params,
      ),
    };
    assert.ok(!accepts(otherToken, entries));
  });

  it("answers 401 MS_SIGNATURE_MISSING without the header", async () => {
    const channel = createTwilio({ from });
    const request = signed(fixture("inbound-sms"));
    delete (request.headers as Record<string, string>)[TWILIO_SIGNATURE_HEADER];
    await assert.rejects(async () => channel.handleWebhook!(request), {
      code: "MS_SIGNATURE_MISSING",
      status: 401,
    });
  });
});

describe("twilio webhooks", () => {
  const channel = createTwilio({ from });

  it("turns MMS media into attachments", async () => {
    const result = await channel.handleWebhook!(signed(fixture("inbound-mms")));
    const [message] = result.messages;
    assert.deepEqual(message?.attachments, [
      {
        url: fixture("inbound-mms").MediaUrl0,
        contentType: "image/jpeg",
      },
      {
        url: fixture("inbound-mms").MediaUrl1,
        contentType: "application/pdf",
      },
    ]);
    assert.deepEqual(message?.meta, {
      to: from,
      numSegments: 1,
      messagingServiceSid: "MG9e2d4b6a8c0f41e3a5b7d9c1e3f5a7b9",
      fromCountry: "US",
    });
  });

  it("takes ProfileName as the display name", async () => {
    const params = { ...fixture("inbound-sms"), ProfileName: "Ada Lovelace" };
    const result = await channel.handleWebhook!(signed(params));
    assert.equal(result.messages[0]?.displayName, "Ada Lovelace");
  });

  it("maps status callbacks to delivery updates", async () => {
    const statuses = async (params: Params) =>
      (await channel.handleWebhook!(signed(params))).statuses;
    const sid = "SM0a4c8e2f6b1d49a7c3e5b9d1f7a3c5e8";
    assert.deepEqual(await statuses(fixture("status-undelivered")), [
      { providerMessageId: sid, status: "failed", error: "twilio 30007" },
    ]);
    const sent = fixture("status-sent");
    assert.deepEqual(await statuses(sent), [
      { providerMessageId: sent.MessageSid, status: "sent" },
    ]);
    for (const [status, expected] of [
      ["read", "read"],
      ["failed", "failed"],
    ] as const) {
      assert.deepEqual(await statuses({ ...sent, MessageStatus: status, SmsStatus: status }), [
        { providerMessageId: sent.MessageSid, status: expected },
      ]);
    }
    for (const status of ["queued", "accepted", "sending", "scheduled", "partially_delivered"]) {
      const result = await channel.handleWebhook!(
        signed({ ...sent, MessageStatus: status, SmsStatus: status }),
      );
      assert.deepEqual(result, { messages: [], statuses: [] }, status);
    }
  });

  it("treats MessageStatus received as an incoming message", async () => {
    const params = { ...fixture("inbound-sms"), MessageStatus: "received" };
    const result = await channel.handleWebhook!(signed(params));
    assert.equal(result.messages.length, 1);
    assert.deepEqual(result.statuses, []);
  });

  it("answers with an empty TwiML document", () => {
    assert.deepEqual(channel.webhookResponse!([]), {
      status: 200,
      body: '<?xml version="1.0" encoding="UTF-8"?><Response></Response>',
      contentType: "text/xml",
    });
  });

  it("rejects bodies that are not Twilio's form with 400 MS_BAD_REQUEST", async () => {
    const json = { ...signed(fixture("inbound-sms")), rawBody: Buffer.from("{}") };
    json.headers = { ...json.headers, "content-type": "application/json" };
    const { From: _, ...noFrom } = fixture("inbound-sms");
    const noMedia = { ...fixture("inbound-mms"), MediaUrl1: "" };
    for (const request of [json, signed(noFrom), signed(noMedia)]) {
      await assert.rejects(async () => channel.handleWebhook!(request), {
        code: "MS_BAD_REQUEST",
        status: 400,
      });
    }
  });
});

describe("twilio send", () => {
  it("sends from a Messaging Service with media, without callbacks when disabled", async () => {
    const vendor = await startFakeVendor(() => ({ status: 201, body: fixture("message-created") }));
    try {
      const messagingServiceSid = "MG9e2d4b6a8c0f41e3a5b7d9c1e3f5a7b9";
      const channel = createTwilio({
        messagingServiceSid,
        apiBase: `${vendor.url}/`,
        statusCallbacks: false,
      });
      const attachments = [{ url: "https://cdn.example.com/label.pdf" }];
      await channel.send(outboundMessage(customer, { attachments }), AbortSignal.timeout(5000));
      const sent = vendor.requests[0]!;
      assert.equal(sent.url, messagesPath);
      assert.deepEqual(
        [...new URLSearchParams(sent.body)],
        [
          ["To", customer],
          ["Body", "Your order ships tomorrow."],
          ["MessagingServiceSid", messagingServiceSid],
          ["MediaUrl", "https://cdn.example.com/label.pdf"],
        ],
      );
    } finally {
      await vendor.close();
    }
  });

  it("asks for no status callback without server.publicUrl", async () => {
    const vendor = await startFakeVendor(() => ({ status: 201, body: fixture("message-created") }));
    try {
      const channel = createTwilio({ from, apiBase: vendor.url }, { publicUrl: undefined });
      await channel.send(outboundMessage(customer), AbortSignal.timeout(5000));
      assert.equal(new URLSearchParams(vendor.requests[0]!.body).has("StatusCallback"), false);
    } finally {
      await vendor.close();
    }
  });
});

describe("twilio config", () => {
  const base = { id: "sms", type: "twilio", accountSid, authToken };
  const parse = (config: object) => twilioChannel.configSchema.safeParse({ ...base, ...config });

  it("needs exactly one of from and messagingServiceSid", () => {
    const both = parse({ from, messagingServiceSid: "MG9e2d4b6a8c0f41e3a5b7d9c1e3f5a7b9" });
    assert.equal(both.success, false);
    assert.match(both.error!.issues[0]!.message, /exactly one of from or messagingServiceSid/);
    assert.equal(parse({}).success, false);
  });

  it("fills defaults and checks formats", () => {
    assert.deepEqual(parse({ from }).data, {
      ...base,
      from,
      apiBase: "https://api.twilio.com",
      statusCallbacks: true,
    });
    assert.equal(parse({ from: "4155552671" }).success, false);
    assert.equal(parse({ from, accountSid: "SK3c7e9d2b5f8a41c6b0e1d4f7a2b9c8e5" }).success, false);
    assert.equal(parse({ from, webhookSecret: "x" }).success, false);
  });
});
