import { z } from "zod";
import { MainstayError } from "../../shared/errors.ts";
import { safeEqual } from "../../shared/hmac.ts";
import { signSha256Body, verifySha256Body } from "../body-signature.ts";
import {
  type Channel,
  type ChannelDefinition,
  type ChannelDeps,
  ChannelSendError,
  type OutboundMessage,
  type VerificationRequest,
  type WebhookRequest,
} from "../channel.ts";
import { jsonBody } from "../json-body.ts";
import { vendorRequest } from "../vendor-request.ts";
import { parseWhatsappNotification } from "./parse-whatsapp-notification.ts";
import { whatsappMessageBody } from "./whatsapp-message-body.ts";

export const WHATSAPP_SIGNATURE_HEADER = "x-hub-signature-256";

const configSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, - and _"),
    type: z.literal("whatsapp"),
    /** The Meta app's secret: signs every notification (`X-Hub-Signature-256`). */
    appSecret: z.string().min(1),
    /** Any string you choose, entered again in the app's webhook settings. */
    verifyToken: z.string().min(1),
    /** A system user access token with `whatsapp_business_messaging`. */
    accessToken: z.string().min(1),
    /** The business phone number's id (not the number itself). */
    phoneNumberId: z.string().regex(/^\d+$/, "the numeric phone number id from WhatsApp Manager"),
    apiBase: z
      .url()
      .default("https://graph.facebook.com")
      .transform((u) => u.replace(/\/+$/, "")),
    apiVersion: z
      .string()
      .regex(/^v\d+\.\d+$/, "a Graph API version such as v21.0")
      .default("v21.0"),
  })
  .strict();

export type WhatsappChannelConfig = z.infer<typeof configSchema>;

/** `sha256=<hex HMAC-SHA256 of the raw body, keyed with the app secret>`, as Meta signs. */
export const signWhatsappBody = signSha256Body;

function verifySignature(config: WhatsappChannelConfig, request: WebhookRequest): void {
  verifySha256Body(request, {
    header: WHATSAPP_SIGNATURE_HEADER,
    label: "X-Hub-Signature-256",
    secret: config.appSecret,
    hint: "check appSecret is the Meta app's secret",
  });
}

/** Meta's GET handshake when the callback URL is saved in the app's webhook settings. */
function verifySubscription(config: WhatsappChannelConfig, { query }: VerificationRequest) {
  const token = query["hub.verify_token"] ?? "";
  if (query["hub.mode"] !== "subscribe" || !safeEqual(token, config.verifyToken)) {
    throw new MainstayError(
      "MS_VERIFY_TOKEN_INVALID",
      "hub.verify_token does not match the channel's verifyToken",
      403,
    );
  }
  return { status: 200, body: query["hub.challenge"] ?? "", contentType: "text/plain" };
}

/**
 * Graph API throttling codes, which Meta may answer with HTTP 400: waiting is the fix, so
 * they are retried. https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes
 */
const THROTTLING_CODES = new Set(["4", "80007", "130429", "131056"]);

async function send(
  config: WhatsappChannelConfig,
  message: OutboundMessage,
  signal: AbortSignal,
  deps: ChannelDeps,
) {
  const url = `${config.apiBase}/${config.apiVersion}/${config.phoneNumberId}/messages`;
  try {
    const response = await vendorRequest(url, {
      headers: {
        authorization: `Bearer ${config.accessToken}`,
        "content-type": "application/json",
      },
      body: JSON.stringify(whatsappMessageBody(message)),
      signal,
      errorCode: graphErrorCode,
      fetch: deps.fetch,
      clock: deps.clock,
    });
    const sent = response as { messages?: { id?: unknown }[] } | undefined;
    const id = sent?.messages?.[0]?.id;
    return typeof id === "string" ? { providerMessageId: id } : {};
  } catch (e) {
    if (
      e instanceof ChannelSendError &&
      !e.retryable &&
      THROTTLING_CODES.has(e.options.vendorCode ?? "")
    ) {
      throw new ChannelSendError(e.message, true, e.options);
    }
    throw e;
  }
}

/** Graph API errors: `{ error: { code, message, error_subcode, fbtrace_id } }`. */
function graphErrorCode(body: unknown): string | undefined {
  const error = (body as { error?: { code?: unknown } } | undefined)?.error;
  return typeof error?.code === "number" || typeof error?.code === "string"
    ? String(error.code)
    : undefined;
}

/**
 * WhatsApp Cloud API: notifications arrive signed by the Meta app, replies go out through
 * the Graph API from one business phone number. The customer's address is their WhatsApp
 * user id (`wa_id`), or their business-scoped user id when they hide their number.
 */
export const whatsappChannel: ChannelDefinition<typeof configSchema> = {
  type: "whatsapp",
  traits: {
    // wa_id: the phone number without its `+`.
    addresses: "phone",
    // Cloud API text message body limit.
    maxChars: 4096,
    // Free-form messages only within 24 h of the customer's last message (Meta's
    // customer service window); later an approved template.
    replyWindowHours: 24,
    confirmsOptOut: false,
    receipts: true,
    idempotentSends: false,
    // Meta retries a webhook not answered 200, for up to 7 days (WhatsApp webhook docs).
    retriesRefused: true,
  },
  configSchema,
  create(config, deps): Channel {
    const logger = deps.logger.child({ channel: config.id });
    return {
      id: config.id,
      type: "whatsapp",
      handleVerification: (request) => verifySubscription(config, request),
      handleWebhook(request) {
        verifySignature(config, request);
        const parsed = parseWhatsappNotification(jsonBody(request.rawBody), config.phoneNumberId);
        if (parsed.skipped.length > 0) {
          logger.info({ skipped: parsed.skipped }, "whatsapp notification parts skipped");
        }
        return { messages: parsed.messages, statuses: parsed.statuses };
      },
      // Meta retries anything but a 200, for up to 7 days.
      webhookResponse: () => ({ status: 200, body: "EVENT_RECEIVED", contentType: "text/plain" }),
      send(message, signal) {
        if (message.attachments.length > 0) {
          logger.warn({ messageId: message.id }, "whatsapp sends text only: attachments left out");
        }
        return send(config, message, signal, deps);
      },
    };
  },
};
