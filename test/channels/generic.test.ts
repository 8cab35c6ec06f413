import assert from "node:assert/strict";
import { describe, it } from "node:test";
import pino from "pino";
import {
  type Channel,
  channelConfigSchema,
  createChannel,
  SIGNATURE_HEADER,
  signGenericBody,
  TIMESTAMP_HEADER,
} from "../../src/channels/index.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { MainstayError } from "../../src/shared/errors.ts";
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
      channelConfigSchema.parse({
        id: "api",
        type: "generic",
        secret,
        callbackUrl: `${vendorUrl}/hook`,
        callbackTimeoutMs: 5000,
      }),
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

describe("generic webhook: signed timestamps", () => {
  const now = Date.UTC(2026, 0, 1, 12);
  const seconds = now / 1000;
  const create = (fields: Record<string, unknown> = {}): Channel =>
    createChannel(channelConfigSchema.parse({ id: "api", type: "generic", secret, ...fields }), {
      logger: pino({ level: "silent" }),
      clock: new ManualClock(now),
    });
  const timestamped = (
    timestamp: number | string,
    signature = signGenericBody(secret, body, timestamp),
  ) => ({
    ...request(body, signature),
    headers: {
      "content-type": "application/json",
      [SIGNATURE_HEADER]: signature,
      [TIMESTAMP_HEADER]: String(timestamp),
    },
  });
  const refusal = async (channel: Channel, req: ReturnType<typeof request>, code: string) => {
    await assert.rejects(
      async () => channel.handleWebhook!(req),
      (e: unknown) => e instanceof MainstayError && e.code === code && e.status === 401,
    );
  };

  it("signs `<timestamp>.<body>` with HMAC-SHA256, as the docs' openssl line does", () => {
    // printf '%s' '1767268800.{"id":...}' | openssl dgst -sha256 -hmac "$SECRET"
    assert.equal(
      signGenericBody(secret, body, seconds),
      signGenericBody(secret, `${seconds}.${body}`),
    );
    assert.notEqual(signGenericBody(secret, body, seconds), signGenericBody(secret, body));
  });

  it("still accepts a body-only signature by default (older senders), with no nonce", async () => {
    const result = await create().handleWebhook!(request(body));
    assert.equal(result.messages.length, 1);
    assert.equal(result.nonce, undefined);
  });

  it("accepts a timestamp at the window's edge and gives its signature as the nonce", async () => {
    const result = await create().handleWebhook!(timestamped(seconds - 300));
    assert.deepEqual(result.nonce, {
      value: signGenericBody(secret, body, seconds - 300),
      expiresAt: (seconds + 1) * 1000,
    });
    assert.ok((await create().handleWebhook!(timestamped(seconds + 300))).nonce);
  });

  it("refuses a timestamp one second outside the window, either way", async () => {
    await refusal(create(), timestamped(seconds - 301), "MS_SIGNATURE_STALE");
    await refusal(create(), timestamped(seconds + 301), "MS_SIGNATURE_STALE");
    await refusal(
      create({ replayWindowSeconds: 30 }),
      timestamped(seconds - 31),
      "MS_SIGNATURE_STALE",
    );
  });

  it("refuses a timestamp the signature does not cover, or one that is not unix seconds", async () => {
    const moved = timestamped(seconds, signGenericBody(secret, body, seconds - 3600));
    await refusal(create(), moved, "MS_SIGNATURE_INVALID");
    await refusal(
      create(),
      timestamped(seconds, signGenericBody(secret, body)),
      "MS_SIGNATURE_INVALID",
    );
    await refusal(create(), timestamped("2026-01-01T12:00:00Z"), "MS_SIGNATURE_INVALID");
  });

  it("with requireTimestamp, refuses a body-only signature", async () => {
    await refusal(create({ requireTimestamp: true }), request(body), "MS_SIGNATURE_MISSING");
    assert.ok(
      (await create({ requireTimestamp: true }).handleWebhook!(timestamped(seconds))).nonce,
    );
  });
});
