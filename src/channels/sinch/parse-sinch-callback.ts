import type { Logger } from "pino";
import { z } from "zod";
import type { InboundMessage, StatusUpdate } from "../../conversations/index.ts";
import { parseInput } from "../../shared/parse-input.ts";
import type { WebhookResult } from "../channel.ts";
import { jsonBody } from "../json-body.ts";

// Shapes from Sinch's Conversation API callback docs; objects stay open (not strict)
// because Sinch adds fields over time.
const channelIdentity = z.object({ channel: z.string().min(1), identity: z.string().min(1) });

const inboundSchema = z.object({
  message: z.object({
    id: z.string().min(1),
    channel_identity: channelIdentity,
    // Empty strings in DISPATCH processing mode.
    contact_id: z.string().optional(),
    conversation_id: z.string().optional(),
    contact_message: z.object({
      text_message: z.object({ text: z.string() }).optional(),
      media_message: z.object({ url: z.string().min(1) }).optional(),
      choice_response_message: z.object({ postback_data: z.string() }).optional(),
    }),
  }),
});

const deliverySchema = z.object({
  message_delivery_report: z.object({
    message_id: z.string().min(1),
    status: z.string(),
    reason: z
      .object({ code: z.string().optional(), description: z.string().optional() })
      .optional(),
  }),
});

const STATUS: Record<string, StatusUpdate["status"]> = {
  QUEUED_ON_CHANNEL: "sent",
  DELIVERED: "delivered",
  READ: "read",
  FAILED: "failed",
};

/**
 * One Conversation API callback. Like Sinch's SDK (`ConversationCallbackWebhooks.parseEvent`)
 * the kind is told by the top-level key: `message` is MESSAGE_INBOUND,
 * `message_delivery_report` is MESSAGE_DELIVERY; any other trigger is acknowledged and ignored.
 */
export function parseSinchCallback(rawBody: Buffer, logger: Logger): WebhookResult {
  const json = parseInput(z.object({}).loose(), jsonBody(rawBody));
  if ("message" in json) return { messages: inboundMessages(json, logger), statuses: [] };
  if ("message_delivery_report" in json) return { messages: [], statuses: statusUpdates(json) };
  return { messages: [], statuses: [] };
}

function inboundMessages(json: object, logger: Logger): InboundMessage[] {
  const { message } = parseInput(inboundSchema, json);
  const content = message.contact_message;
  const base = {
    providerMessageId: message.id,
    from: message.channel_identity.identity,
    meta: {
      channel: message.channel_identity.channel,
      contactId: message.contact_id || null,
      conversationId: message.conversation_id || null,
    },
  };
  if (content.text_message) return [{ ...base, text: content.text_message.text }];
  if (content.media_message) {
    return [{ ...base, text: "", attachments: [{ url: content.media_message.url }] }];
  }
  if (content.choice_response_message) {
    return [{ ...base, text: content.choice_response_message.postback_data }];
  }
  // Location, product and channel-specific messages: nothing an agent can read as text yet.
  logger.warn(
    { providerMessageId: message.id, kinds: Object.keys(content) },
    "sinch inbound message of an unsupported kind ignored",
  );
  return [];
}

function statusUpdates(json: object): StatusUpdate[] {
  const report = parseInput(deliverySchema, json).message_delivery_report;
  const status = STATUS[report.status];
  // SWITCHING_CHANNEL (failover in progress) and unknown states are not a final word.
  if (!status) return [];
  const update: StatusUpdate = { providerMessageId: report.message_id, status };
  if (status === "failed") {
    const { code = "UNKNOWN", description = "" } = report.reason ?? {};
    update.error = `sinch ${code} ${description}`.trim();
  }
  return [update];
}
