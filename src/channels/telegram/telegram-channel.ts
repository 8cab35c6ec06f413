import { z } from "zod";
import { MainstayError } from "../../shared/errors.ts";
import { safeEqual } from "../../shared/hmac.ts";
import { acceptedResponse } from "../accepted-response.ts";
import type { Channel, ChannelDefinition, OutboundMessage, WebhookRequest } from "../channel.ts";
import { jsonBody } from "../json-body.ts";
import { vendorRequest } from "../vendor-request.ts";
import { parseTelegramUpdate } from "./parse-telegram-update.ts";

/** Sent by Telegram on every webhook call when `setWebhook` was given a `secret_token`. */
export const TELEGRAM_SECRET_HEADER = "x-telegram-bot-api-secret-token";

const configSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, - and _"),
    type: z.literal("telegram"),
    /** The token @BotFather gave the bot (`123456:ABC...`). */
    botToken: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, "a bot token such as 123456:ABC-DEF..."),
    /** The `secret_token` passed to `setWebhook`: 1-256 characters A-Z, a-z, 0-9, _ and -. */
    secretToken: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, "1-256 of A-Z a-z 0-9 _ -"),
    apiBase: z
      .url()
      .default("https://api.telegram.org")
      .transform((u) => u.replace(/\/+$/, "")),
  })
  .strict();

export type TelegramChannelConfig = z.infer<typeof configSchema>;

function verifySecret(config: TelegramChannelConfig, request: WebhookRequest): void {
  const sent = request.headers[TELEGRAM_SECRET_HEADER];
  if (typeof sent !== "string" || sent === "") {
    throw new MainstayError(
      "MS_SIGNATURE_MISSING",
      "X-Telegram-Bot-Api-Secret-Token header is missing; set secret_token with setWebhook",
      401,
    );
  }
  if (!safeEqual(sent, config.secretToken)) {
    throw new MainstayError(
      "MS_SIGNATURE_INVALID",
      "X-Telegram-Bot-Api-Secret-Token does not match secretToken",
      401,
    );
  }
}

/** The Bot API's error body: `{ok: false, error_code, description, parameters.retry_after}`. */
function telegramError(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const code = (body as { error_code?: unknown }).error_code;
  return typeof code === "number" ? String(code) : undefined;
}

function retryAfterOf(body: unknown): number | undefined {
  const seconds = (body as { parameters?: { retry_after?: unknown } } | undefined)?.parameters
    ?.retry_after;
  return typeof seconds === "number" ? seconds * 1000 : undefined;
}

function sendBody(message: OutboundMessage): string {
  const replyTo = message.inReplyToMeta["telegramMessageId"];
  return JSON.stringify({
    chat_id: message.to,
    text: message.text,
    // Threads the reply under the customer's message; sent anyway if it was deleted.
    ...(typeof replyTo === "number" && {
      reply_parameters: { message_id: replyTo, allow_sending_without_reply: true },
    }),
  });
}

/**
 * Telegram Bot API: updates pushed to our webhook (core.telegram.org/bots/api#setwebhook),
 * replies through `sendMessage`. A chat id is the customer's address.
 */
export const telegramChannel: ChannelDefinition<typeof configSchema> = {
  type: "telegram",
  traits: {
    // Chat ids are numbers, but not phone numbers.
    addresses: "opaque",
    // sendMessage: 1-4096 characters after entities parsing.
    maxChars: 4096,
    confirmsOptOut: false,
    // Bots get no delivery or read receipts.
    receipts: false,
    // sendMessage takes no idempotency key: a retry after a lost answer can duplicate.
    idempotentSends: false,
    // Telegram retries a webhook call that was not answered 2xx.
    retriesRefused: true,
  },
  configSchema,
  create(config, deps): Channel {
    const url = `${config.apiBase}/bot${config.botToken}/sendMessage`;
    return {
      id: config.id,
      type: "telegram",
      handleWebhook(request) {
        verifySecret(config, request);
        return { messages: parseTelegramUpdate(jsonBody(request.rawBody)), statuses: [] };
      },
      // Telegram only needs a 2xx; the ids help whoever replays an update by hand.
      webhookResponse: acceptedResponse,
      async send(message, signal) {
        const sent = await vendorRequest(url, {
          headers: { "content-type": "application/json" },
          body: sendBody(message),
          signal,
          errorCode: telegramError,
          // A 429's wait is in the JSON body (`parameters.retry_after`), not in a header.
          bodyRetryAfterMs: retryAfterOf,
          fetch: deps.fetch,
          clock: deps.clock,
        });
        const id = (sent as { result?: { message_id?: unknown } } | undefined)?.result?.message_id;
        return typeof id === "number" ? { providerMessageId: `${message.to}:${id}` } : {};
      },
    };
  },
};
