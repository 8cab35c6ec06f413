import assert from "node:assert/strict";
import pino from "pino";
import { createChannel, SIGNATURE_HEADER, signGenericBody } from "../../src/channels/index.ts";
import { channelContract } from "./channel-contract.ts";

const secret = "generic-contract-secret-123";
const body = JSON.stringify({ id: "ext-9", from: "+15550111", text: "Where is my order?" });

function request(raw: string, signature = signGenericBody(secret, raw)) {
  return {
    method: "POST",
    url: "http://127.0.0.1/webhooks/api",
    headers: { "content-type": "application/json", [SIGNATURE_HEADER]: signature },
    rawBody: Buffer.from(raw),
  };
}

channelContract("generic", {
  create: (vendorUrl, { clock }) =>
    createChannel(
      {
        id: "api",
        type: "generic",
        secret,
        callbackUrl: `${vendorUrl}/hook`,
        callbackTimeoutMs: 5000,
      },
      { logger: pino({ level: "silent" }), clock },
    ),
  inbound: () => ({
    request: request(body),
    expected: { providerMessageId: "ext-9", from: "+15550111", text: "Where is my order?" },
  }),
  tampered: () => request(body.replace("order", "refund"), signGenericBody(secret, body)),
  sendOk: { response: { status: 200, body: "ok" } },
  checkSendRequest(sent, message) {
    assert.equal(sent.method, "POST");
    assert.equal(sent.url, "/hook");
    assert.equal(sent.headers["idempotency-key"], message.id);
    assert.equal(sent.headers[SIGNATURE_HEADER], signGenericBody(secret, sent.body));
    assert.deepEqual(JSON.parse(sent.body), {
      id: message.id,
      conversationId: message.conversationId,
      to: message.to,
      text: message.text,
      attachments: [],
    });
  },
  sendRejected: {
    response: { status: 422, body: { code: "unknown_customer" } },
    vendorCode: "unknown_customer",
  },
  to: "+15550111",
});
