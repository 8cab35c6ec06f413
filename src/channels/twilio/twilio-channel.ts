import type { Channel, ChannelDefinition, WebhookResponse } from "../channel.ts";
import { parseTwilioWebhook, readTwilioForm } from "./parse-twilio-webhook.ts";
import { sendTwilioMessage } from "./send-twilio-message.ts";
import { twilioConfigSchema } from "./twilio-config.ts";
import { verifyTwilioSignature } from "./twilio-signature.ts";

/** An empty TwiML answer: Mainstay replies later through the API, not in the response. */
export const EMPTY_TWIML: WebhookResponse = {
  status: 200,
  body: '<?xml version="1.0" encoding="UTF-8"?><Response></Response>',
  contentType: "text/xml",
};

/**
 * Twilio Programmable Messaging (SMS/MMS): signed form webhooks in (messages and status
 * callbacks at the same URL), the Messages API out.
 */
export const twilioChannel: ChannelDefinition<typeof twilioConfigSchema> = {
  type: "twilio",
  traits: {
    addresses: "phone",
    sms: { maxSegments: 3 },
    // Carriers allow one confirmation after STOP (CTIA Messaging Principles).
    confirmsOptOut: true,
    receipts: true,
    // The message id goes along as a token, but Twilio documents no idempotency for
    // Messages: a retry after a lost answer can duplicate (docs/channels/twilio.md).
    idempotentSends: false,
    retriesRefused: false,
  },
  configSchema: twilioConfigSchema,
  create(config, deps): Channel {
    const logger = deps.logger.child({ channel: config.id });
    const statusCallback =
      config.statusCallbacks && deps.publicUrl
        ? `${deps.publicUrl.replace(/\/+$/, "")}/webhooks/${config.id}`
        : undefined;
    return {
      id: config.id,
      type: "twilio",
      handleWebhook(request) {
        const params = readTwilioForm(request);
        verifyTwilioSignature(config.authToken, request, params);
        return parseTwilioWebhook(params, logger);
      },
      webhookResponse: () => EMPTY_TWIML,
      send: (message, signal) =>
        sendTwilioMessage(config, message, signal, {
          statusCallback,
          logger,
          fetch: deps.fetch,
          clock: deps.clock,
        }),
    };
  },
};
