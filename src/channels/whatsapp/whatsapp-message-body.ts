import { z } from "zod";
import type { OutboundMessage } from "../channel.ts";
import { ChannelSendError } from "../channel.ts";

/** `meta.template` on an outbound message: an approved template to send instead of text. */
const templateSchema = z.object({
  name: z.string().min(1),
  /** Language and locale code the template was approved in, e.g. `en_US`. */
  language: z.string().min(1),
  /** Header, body and button parameters, exactly as the Cloud API takes them. */
  components: z.array(z.record(z.string(), z.unknown())).optional(),
});

/**
 * The JSON body of `POST /{phone number id}/messages` for an outbound message: a text
 * message, or a template when `meta.template` is set (the only way to write first, or after
 * the 24-hour customer service window closed). See
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/send-messages
 */
export function whatsappMessageBody(message: OutboundMessage): Record<string, unknown> {
  const body: Record<string, unknown> = {
    messaging_product: "whatsapp",
    recipient_type: "individual",
    to: message.to,
  };
  // Quoting the customer's message is opt-in: a reply bubble quoting every question is noise.
  if (message.meta.replyToCustomer === true && message.inReplyTo) {
    body.context = { message_id: message.inReplyTo };
  }
  if (message.meta.template === undefined) {
    return { ...body, type: "text", text: { body: message.text, preview_url: false } };
  }
  const template = templateSchema.safeParse(message.meta.template);
  if (!template.success) {
    const issue = template.error.issues[0]!;
    const field = ["meta", "template", ...issue.path].join(".");
    throw new ChannelSendError(`${field}: ${issue.message}`, false);
  }
  const { name, language, components } = template.data;
  return {
    ...body,
    type: "template",
    template: { name, language: { code: language }, ...(components ? { components } : {}) },
  };
}
