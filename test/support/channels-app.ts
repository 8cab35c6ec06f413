import { createHmac } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { calculateWebhookSignature, computeSignedData } from "@sinch/sdk-client";
import pino from "pino";
import { SMTPServer } from "smtp-server";
import twilio from "twilio";
import { signGenericBody } from "../../src/channels/index.ts";
import { parseConfigText } from "../../src/config/index.ts";
import { type Mainstay, startMainstay } from "../../src/main.ts";
import type { StoreOptions } from "../../src/store/index.ts";
import { startFakeVendor } from "./fake-vendor.ts";
import { ADMIN_KEY, KNOWLEDGE_DIR } from "./test-app.ts";

export const PUBLIC_URL = "https://mainstay.example.com";
export const GENERIC_SECRET = "generic-secret-0123456789";
export const EMAIL_SECRET = "email-inbound-secret-0123";
const TWILIO = { sid: "AC0123456789abcdef0123456789abcdef", token: "twilio-auth-token-123" };
const WHATSAPP = { secret: "whatsapp-app-secret-123", phoneNumberId: "106540352242922" };
const SINCH_SECRET = "sinch-webhook-secret-7f3a";

/** A recorded vendor payload, as the exact text the vendor sent. */
export function fixture(path: string): string {
  return readFileSync(new URL(`../fixtures/channels/${path}`, import.meta.url), "utf8");
}

/**
 * Mainstay with one channel of every type (ids: api, web, sms, wa, sinch, email) and the
 * proxy, on `store`; fake vendors, an SMTP sink and an upstream answer what it sends.
 * `generic` and `email` are extra flow-YAML fields of those channels.
 */
export async function startChannelsApp(
  options: { store?: StoreOptions; generic?: string; email?: string; extraYaml?: string } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), "mainstay-channels-"));
  const vendor = await startFakeVendor((req) => {
    if (req.url === "/oauth2/token") {
      return { status: 200, body: { access_token: "sinch-token", expires_in: 3600 } };
    }
    if (req.url.includes("/Messages.json")) return { status: 201, body: { sid: "SM1" } };
    if (req.url.includes("messages:send")) return { status: 200, body: { message_id: "s1" } };
    if (req.url.includes("/chat/completions")) {
      return {
        status: 200,
        body: {
          id: "chatcmpl-1",
          object: "chat.completion",
          created: 0,
          model: "gpt-test",
          choices: [
            { index: 0, message: { role: "assistant", content: "Hello." }, finish_reason: "stop" },
          ],
        },
      };
    }
    return { status: 200, body: { messages: [{ id: "wamid.out" }] } };
  });
  const smtp = await startSmtpSink();
  const yaml = `
server: { port: 0, host: 127.0.0.1, publicUrl: ${PUBLIC_URL}, egress: { allow: ["127.0.0.0/8", "::1", localhost] } }
storage: { dataDir: ${JSON.stringify(dir)} }
agent: { id: support, type: builtin, knowledgeDir: ${JSON.stringify(KNOWLEDGE_DIR)} }
channels:
  - { id: api, type: generic, secret: ${GENERIC_SECRET}${options.generic ? `, ${options.generic}` : ""} }
  - { id: web, type: webchat }
  - { id: sms, type: twilio, accountSid: ${TWILIO.sid}, authToken: ${TWILIO.token}, from: "+15005550006", apiBase: ${vendor.url} }
  - { id: wa, type: whatsapp, appSecret: ${WHATSAPP.secret}, verifyToken: verify-me-please, accessToken: EAAtoken, phoneNumberId: "${WHATSAPP.phoneNumberId}", apiBase: ${vendor.url} }
  - { id: sinch, type: sinch, projectId: p1, appId: a1, keyId: k1, keySecret: s1, webhookSecret: ${SINCH_SECRET}, apiBase: ${vendor.url}, authBase: ${vendor.url} }
  - { id: email, type: email, smtpUrl: "${smtp.url}", from: "Support <support@example.com>", inboundSecret: ${EMAIL_SECRET}${options.email ? `, ${options.email}` : ""} }
proxy: { upstream: { baseUrl: "${vendor.url}/v1", apiKey: sk-upstream }, channelId: proxy }
outbox: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 50, pollIntervalMs: 20 }
${options.extraYaml ?? ""}
`;
  const app = await startMainstay(parseConfigText(yaml, join(dir, "mainstay.yaml")), {
    env: { MAINSTAY_ADMIN_KEY: ADMIN_KEY },
    logger: pino({ level: process.env["TEST_LOG_LEVEL"] ?? "silent" }),
    ...(options.store ? { store: options.store } : {}),
  });
  return {
    ...app,
    async close() {
      await app.close();
      await vendor.close();
      await smtp.close();
      rmSync(dir, { recursive: true, force: true });
    },
  } satisfies Mainstay & { close(): Promise<void> };
}

export type ChannelsApp = Awaited<ReturnType<typeof startChannelsApp>>;

/** An SMTP server that takes every reply and keeps nothing. */
async function startSmtpSink() {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      stream.resume();
      stream.on("end", () => callback());
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Unix seconds now, the value of `X-Mainstay-Timestamp`. */
export const unixNow = () => Math.floor(Date.now() / 1000);

/**
 * A `POST /webhooks/<channelId>` signed the Mainstay way: over the body alone when
 * `timestamp` is absent, else over `<timestamp>.<body>` with `X-Mainstay-Timestamp`.
 */
export function mainstaySigned(
  channelId: "api" | "email",
  body: string,
  options: { timestamp?: number; contentType?: string } = {},
) {
  const secret = channelId === "api" ? GENERIC_SECRET : EMAIL_SECRET;
  const timestamp = options.timestamp;
  return {
    method: "POST" as const,
    url: `/webhooks/${channelId}`,
    payload: body,
    headers: {
      "content-type": options.contentType ?? "application/json",
      "x-mainstay-signature": signGenericBody(secret, body, timestamp),
      ...(timestamp === undefined ? {} : { "x-mainstay-timestamp": String(timestamp) }),
    },
  };
}

/** A WhatsApp notification signed as Meta signs it (`X-Hub-Signature-256` over the bytes). */
export function whatsappSigned(body: string) {
  const signature = createHmac("sha256", WHATSAPP.secret).update(body).digest("hex");
  return {
    method: "POST" as const,
    url: "/webhooks/wa",
    payload: body,
    headers: { "content-type": "application/json", "x-hub-signature-256": `sha256=${signature}` },
  };
}

/** A Twilio form webhook, signed with Twilio's own SDK. */
export function twilioSigned(params: Record<string, string>) {
  return {
    method: "POST" as const,
    url: "/webhooks/sms",
    payload: new URLSearchParams(params).toString(),
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": twilio.getExpectedTwilioSignature(
        TWILIO.token,
        `${PUBLIC_URL}/webhooks/sms`,
        params,
      ),
    },
  };
}

/** A Sinch callback signed with Sinch's own helpers. */
export function sinchSigned(body: string, nonce: string, timestamp = unixNow()) {
  const signature = calculateWebhookSignature(
    computeSignedData(body, nonce, String(timestamp)),
    SINCH_SECRET,
  );
  return {
    method: "POST" as const,
    url: "/webhooks/sinch",
    payload: body,
    headers: {
      "content-type": "application/json",
      "x-sinch-webhook-signature": signature,
      "x-sinch-webhook-signature-nonce": nonce,
      "x-sinch-webhook-signature-timestamp": String(timestamp),
      "x-sinch-webhook-signature-algorithm": "HmacSHA256",
    },
  };
}
