import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import pino from "pino";
import twilio from "twilio";
import { parseConfigText } from "../../src/config/index.ts";
import { type Mainstay, startMainstay } from "../../src/main.ts";
import { type FakeVendor, startFakeVendor } from "../support/fake-vendor.ts";
import { ADMIN_KEY, auth, eventually, KNOWLEDGE_DIR, queueDrained } from "../support/test-app.ts";

const PUBLIC_URL = "https://mainstay.example.com";
const TWILIO = { sid: "AC0123456789abcdef0123456789abcdef", token: "twilio-auth-token-123" };
const WHATSAPP = { secret: "whatsapp-app-secret-123", phoneNumberId: "106540352242922" };

/** Signed Twilio form webhook, built with Twilio's own SDK. */
function twilioRequest(params: Record<string, string>) {
  const url = `${PUBLIC_URL}/webhooks/twilio`;
  return {
    method: "POST" as const,
    url: "/webhooks/twilio",
    payload: new URLSearchParams(params).toString(),
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": twilio.getExpectedTwilioSignature(TWILIO.token, url, params),
    },
  };
}

function whatsappRequest(from: string, id: string, text: string) {
  const body = JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: {
                display_phone_number: "15550783881",
                phone_number_id: WHATSAPP.phoneNumberId,
              },
              contacts: [{ profile: { name: "Sheena" }, wa_id: from }],
              messages: [{ from, id, timestamp: "1749416383", type: "text", text: { body: text } }],
            },
          },
        ],
      },
    ],
  });
  const signature = createHmac("sha256", WHATSAPP.secret).update(body).digest("hex");
  return {
    method: "POST" as const,
    url: "/webhooks/whatsapp",
    payload: body,
    headers: { "content-type": "application/json", "x-hub-signature-256": `sha256=${signature}` },
  };
}

describe("vendor channels end to end", () => {
  let vendor: FakeVendor;
  let app: Mainstay;
  const dir = mkdtempSync(join(tmpdir(), "mainstay-vendors-"));

  before(async () => {
    let n = 0;
    vendor = await startFakeVendor((req) =>
      req.url.includes("/Messages.json")
        ? { status: 201, body: { sid: `SM${String(++n).padStart(32, "0")}`, status: "queued" } }
        : { status: 200, body: { messages: [{ id: `wamid.out${++n}` }] } },
    );
    const yaml = `
server: { port: 0, publicUrl: ${PUBLIC_URL}, egress: { allow: ["127.0.0.0/8", "::1", localhost] } }
storage: { dataDir: ${JSON.stringify(dir)} }
agent: { id: support, type: builtin, knowledgeDir: ${JSON.stringify(KNOWLEDGE_DIR)} }
channels:
  - { id: twilio, type: twilio, accountSid: ${TWILIO.sid}, authToken: ${TWILIO.token}, from: "+15005550006", apiBase: ${vendor.url} }
  - id: whatsapp
    type: whatsapp
    appSecret: ${WHATSAPP.secret}
    verifyToken: verify-me-please
    accessToken: EAAtoken
    phoneNumberId: "${WHATSAPP.phoneNumberId}"
    apiBase: ${vendor.url}
outbox: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50, pollIntervalMs: 20 }
`;
    app = await startMainstay(parseConfigText(yaml, join(dir, "mainstay.yaml")), {
      env: { MAINSTAY_ADMIN_KEY: ADMIN_KEY },
      logger: pino({ level: "silent" }),
    });
  });
  after(async () => {
    await app?.close();
    await vendor?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const conversationMessages = async (conversationId: string) =>
    (
      await app.app.inject({
        url: `/api/v1/conversations/${conversationId}/messages`,
        headers: auth,
      })
    ).json().data as {
      direction: string;
      text: string;
      status: string;
      providerMessageId: string | null;
    }[];

  const onlyConversation = async (channel: string) => {
    const list = await app.app.inject({
      url: `/api/v1/conversations?channel=${channel}`,
      headers: auth,
    });
    return list.json().data[0].id as string;
  };

  it("answers an SMS through the Twilio API and applies its status callback", async () => {
    const res = await app.app.inject(
      twilioRequest({
        MessageSid: "SMin1",
        From: "+14155552671",
        To: "+15005550006",
        Body: "How long does shipping take?",
      }),
    );
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<Response><\/Response>/);
    const conversationId = await onlyConversation("twilio");
    const reply = await eventually(async () => {
      const out = (await conversationMessages(conversationId)).find(
        (m) => m.direction === "outbound",
      );
      return out?.status === "sent" ? out : undefined;
    }, "the SMS reply");
    const sent = vendor.requests.find((r) =>
      r.url.endsWith(`/Accounts/${TWILIO.sid}/Messages.json`),
    );
    assert.ok(sent);
    const form = new URLSearchParams(sent.body);
    assert.equal(form.get("To"), "+14155552671");
    assert.equal(form.get("Body"), reply.text);
    assert.equal(form.get("StatusCallback"), `${PUBLIC_URL}/webhooks/twilio`);

    const status = await app.app.inject(
      twilioRequest({
        MessageSid: reply.providerMessageId!,
        MessageStatus: "delivered",
        From: "+15005550006",
        To: "+14155552671",
      }),
    );
    assert.equal(status.statusCode, 200);
    const after = (await conversationMessages(conversationId)).find(
      (m) => m.direction === "outbound",
    );
    assert.equal(after?.status, "delivered");
  });

  it("confirms an SMS opt-out once, then sends nothing more", async () => {
    const customer = { From: "+14155552671", To: "+15005550006" };
    const stop = await app.app.inject(
      twilioRequest({ MessageSid: "SMin2", ...customer, Body: "STOP" }),
    );
    assert.equal(stop.statusCode, 200, stop.body);
    const conversationId = await onlyConversation("twilio");
    await eventually(async () => {
      const last = (await conversationMessages(conversationId)).at(-1);
      const confirmed = last?.direction === "outbound" && /unsubscribed/.test(last.text);
      return confirmed && last.status === "sent" ? true : undefined;
    }, "the opt-out confirmation");
    const before = vendor.requests.length;
    const question = { MessageSid: "SMin3", ...customer, Body: "What are your opening hours?" };
    assert.equal((await app.app.inject(twilioRequest(question))).statusCode, 200);
    await queueDrained(app.store);
    assert.equal((await conversationMessages(conversationId)).at(-1)?.direction, "inbound");
    assert.equal(vendor.requests.length, before);
  });

  it("answers a WhatsApp message through the Cloud API, after the GET handshake", async () => {
    const handshake = await app.app.inject({
      url: "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me-please&hub.challenge=1158201444",
    });
    assert.equal(handshake.statusCode, 200);
    assert.equal(handshake.body, "1158201444");
    const res = await app.app.inject(
      whatsappRequest("16505551234", "wamid.in1", "Do you repair cracked screens?"),
    );
    assert.equal(res.statusCode, 200);
    const conversationId = await onlyConversation("whatsapp");
    await eventually(async () => {
      const out = (await conversationMessages(conversationId)).find(
        (m) => m.direction === "outbound",
      );
      return out?.status === "sent" ? out : undefined;
    }, "the WhatsApp reply");
    const sent = vendor.requests.find((r) => r.url.includes(`/${WHATSAPP.phoneNumberId}/messages`));
    assert.ok(sent);
    assert.equal(sent.headers.authorization, "Bearer EAAtoken");
    const body = JSON.parse(sent.body);
    assert.equal(body.to, "16505551234");
    assert.equal(body.type, "text");
  });

  it("links the SMS customer's WhatsApp account to the same contact by verified phone", async () => {
    const sms = await onlyConversation("twilio");
    const res = await app.app.inject(whatsappRequest("14155552671", "wamid.in2", "hello again"));
    assert.equal(res.statusCode, 200);
    const list = await app.app.inject({
      url: "/api/v1/conversations?channel=whatsapp",
      headers: auth,
    });
    const whatsapp = list.json().data.find((c: { id: string }) => c.id !== sms);
    const smsDetail = (
      await app.app.inject({ url: `/api/v1/conversations/${sms}`, headers: auth })
    ).json();
    assert.equal(whatsapp.contactId, smsDetail.contactId);
    const contact = await app.app.inject({
      url: `/api/v1/contacts/${smsDetail.contactId}`,
      headers: auth,
    });
    assert.deepEqual(
      contact
        .json()
        .identities.map((i: { channelType: string; phone: string }) => [i.channelType, i.phone]),
      [
        ["twilio", "+14155552671"],
        ["whatsapp", "+14155552671"],
      ],
    );
  });
});
