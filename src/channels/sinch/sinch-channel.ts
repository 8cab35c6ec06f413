import { z } from "zod";
import {
  type Channel,
  type ChannelDefinition,
  ChannelSendError,
  type OutboundMessage,
} from "../channel.ts";
import { vendorRequest } from "../vendor-request.ts";
import { parseSinchCallback } from "./parse-sinch-callback.ts";
import {
  SINCH_CHANNELS,
  type SinchChannelConfig,
  sinchConfigSchema,
  sinchEndpoints,
} from "./sinch-config.ts";
import { verifySinchSignature } from "./sinch-signature.ts";
import { createSinchTokenSource } from "./sinch-token.ts";

const sendResponseSchema = z.object({ message_id: z.string().min(1) });

/**
 * The `message` of a send request. One request per outbound message, so a retry never
 * repeats half of it: text alone is a `text_message`, an attachment alone a `media_message`,
 * both a `card_message` (Sinch transcodes a card to each channel, e.g. text plus link on SMS).
 * Only the first attachment is sent.
 */
function sinchAppMessage(message: OutboundMessage) {
  const attachment = message.attachments[0];
  if (!attachment) return { text_message: { text: message.text } };
  const media = {
    url: attachment.url,
    ...(attachment.name ? { filename_override: attachment.name } : {}),
  };
  if (message.text === "") return { media_message: media };
  return { card_message: { description: message.text, media_message: media } };
}

/** Sinch's Google-style error body: `{"error":{"code":400,"message":...,"status":...}}`. */
function sinchErrorCode(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null || !("error" in body)) return undefined;
  const error = body.error;
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return String(error.code);
}

/** vendorRequest keeps the status only in its message (`<host> answered HTTP 401`). */
function isUnauthorized(e: unknown): e is ChannelSendError {
  return e instanceof ChannelSendError && / HTTP 401$/.test(e.message);
}

/** Sinch Conversation API: SMS, WhatsApp, RCS, Messenger... through one app. */
export const sinchChannel: ChannelDefinition<typeof sinchConfigSchema> = {
  type: "sinch",
  traits: {
    addresses: "phone",
    sms: { maxSegments: 3 },
    confirmsOptOut: true,
    receipts: true,
    idempotentSends: false,
    // Sinch retries callbacks answered 429 or 5xx, backing off (Sinch webhook docs).
    retriesRefused: true,
  },
  configSchema: sinchConfigSchema,
  create(config: SinchChannelConfig, deps): Channel {
    const endpoints = sinchEndpoints(config);
    const tokens = createSinchTokenSource({
      tokenUrl: endpoints.token,
      keyId: config.keyId,
      keySecret: config.keySecret,
      clock: deps.clock,
      fetch: deps.fetch,
    });
    const logger = deps.logger.child({ channel: config.id });
    /** Answer on the channel the customer last wrote on; `channel` when it is unknown. */
    const replyChannel = (message: OutboundMessage) => {
      const used = message.inReplyToMeta["channel"];
      return typeof used === "string" && (SINCH_CHANNELS as readonly string[]).includes(used)
        ? used
        : config.channel;
    };

    return {
      id: config.id,
      type: "sinch",
      handleWebhook(request) {
        const nonce = verifySinchSignature(request, {
          webhookSecret: config.webhookSecret,
          maxClockSkewSeconds: config.maxClockSkewSeconds,
          now: deps.clock.now(),
        });
        return { ...parseSinchCallback(request.rawBody, logger), nonce };
      },
      async send(message, signal) {
        if (message.attachments.length > 1) {
          logger.warn(
            { messageId: message.id, attachments: message.attachments.length },
            "sinch sends only the first attachment of a message",
          );
        }
        const token = await tokens.get();
        const body = JSON.stringify({
          app_id: config.appId,
          recipient: {
            identified_by: {
              channel_identities: [{ channel: replyChannel(message), identity: message.to }],
            },
          },
          message: sinchAppMessage(message),
          correlation_id: message.id,
        });
        let response: unknown;
        try {
          response = await vendorRequest(endpoints.send, {
            headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
            body,
            signal,
            errorCode: sinchErrorCode,
            fetch: deps.fetch,
            clock: deps.clock,
          });
        } catch (e) {
          if (!isUnauthorized(e)) throw e;
          // The token was revoked or expired early: fetch a new one on the next attempt.
          tokens.invalidate(token);
          throw new ChannelSendError(`${e.message}: access token refused`, true, e.options);
        }
        const parsed = sendResponseSchema.safeParse(response);
        return parsed.success ? { providerMessageId: parsed.data.message_id } : {};
      },
    };
  },
};
