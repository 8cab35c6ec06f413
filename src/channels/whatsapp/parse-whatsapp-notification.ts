import { z } from "zod";
import type { InboundMessage, StatusUpdate } from "../../conversations/index.ts";
import { MainstayError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/parse-input.ts";

/*
 * The `messages` webhook of the WhatsApp Cloud API:
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages
 * Objects are not strict: Meta adds fields (pricing, identity_key_hash, user_id...) over time,
 * and rejecting a notification makes Meta resend it for days.
 */

const mediaSchema = z.object({
  id: z.string().min(1),
  mime_type: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
});

const replySchema = z.object({ id: z.string(), title: z.string() });

const messageSchema = z.object({
  id: z.string().min(1),
  /** The user's WhatsApp id (`wa_id`, their phone number without `+`). */
  from: z.string().min(1).optional(),
  /** Business-scoped user id, sent instead of `from` when the user hides their number. */
  from_user_id: z.string().min(1).optional(),
  type: z.string().min(1),
  context: z.object({ from: z.string().optional(), id: z.string().optional() }).optional(),
  text: z.object({ body: z.string() }).optional(),
  button: z.object({ text: z.string(), payload: z.string().optional() }).optional(),
  interactive: z
    .object({
      type: z.string(),
      button_reply: replySchema.optional(),
      list_reply: replySchema.extend({ description: z.string().optional() }).optional(),
    })
    .optional(),
  image: mediaSchema.optional(),
  document: mediaSchema.optional(),
  audio: mediaSchema.optional(),
  video: mediaSchema.optional(),
  sticker: mediaSchema.optional(),
  location: z
    .object({
      latitude: z.number(),
      longitude: z.number(),
      name: z.string().optional(),
      address: z.string().optional(),
    })
    .optional(),
});

const errorsSchema = z
  .array(
    z.object({ code: z.number(), title: z.string().optional(), message: z.string().optional() }),
  )
  .optional();

const statusSchema = z.object({ id: z.string().min(1), status: z.string(), errors: errorsSchema });

const valueSchema = z.object({
  metadata: z.object({ phone_number_id: z.string() }).optional(),
  contacts: z
    .array(
      z.object({
        wa_id: z.string().optional(),
        user_id: z.string().optional(),
        profile: z.object({ name: z.string().optional() }).optional(),
      }),
    )
    .optional(),
  messages: z.array(messageSchema).optional(),
  statuses: z.array(statusSchema).optional(),
  /** Errors not tied to one message (e.g. a throughput limit); nothing to store, only log. */
  errors: errorsSchema,
});

const notificationSchema = z.object({
  entry: z.array(z.object({ changes: z.array(z.object({ value: valueSchema })) })),
});

type WhatsappMessage = z.infer<typeof messageSchema>;
type WhatsappStatus = z.infer<typeof statusSchema>;
type NotificationValue = z.infer<typeof valueSchema>;

/** What one notification carries; `skipped` says what was left out and why, for the log. */
export interface ParsedNotification {
  messages: InboundMessage[];
  statuses: StatusUpdate[];
  skipped: string[];
}

const MEDIA_TYPES = ["image", "document", "audio", "video", "sticker"] as const;
const STATUSES = new Set<string>(["sent", "delivered", "read", "failed"]);

/**
 * Parse a notification's JSON (already signature-checked) into messages and receipts for
 * the business number `phoneNumberId`. A Meta app has one callback URL for all the numbers
 * of its WhatsApp Business Accounts, so changes for another number are skipped rather than
 * answered from this one.
 */
export function parseWhatsappNotification(
  json: unknown,
  phoneNumberId: string,
): ParsedNotification {
  const notification = parseInput(notificationSchema, json);
  const result: ParsedNotification = { messages: [], statuses: [], skipped: [] };
  for (const { changes } of notification.entry) {
    for (const { value } of changes) {
      const number = value.metadata?.phone_number_id;
      if (number !== undefined && number !== phoneNumberId) {
        result.skipped.push(`change for phone number id ${number}`);
        continue;
      }
      for (const error of value.errors ?? []) result.skipped.push(`error ${errorLabel(error)}`);
      for (const message of value.messages ?? []) result.messages.push(inbound(message, value));
      for (const status of value.statuses ?? []) {
        const update = statusUpdate(status);
        if (update) result.statuses.push(update);
        else result.skipped.push(`status "${status.status}" of ${status.id}`);
      }
    }
  }
  return result;
}

function inbound(message: WhatsappMessage, value: NotificationValue): InboundMessage {
  const from = message.from ?? message.from_user_id;
  if (!from) {
    throw new MainstayError(
      "MS_BAD_REQUEST",
      `message ${message.id}: no "from" nor "from_user_id"`,
    );
  }
  const contact = value.contacts?.find((c) => c.wa_id === from || c.user_id === from);
  return {
    providerMessageId: message.id,
    from,
    // `from` is the account's phone number (digits, no +), which WhatsApp verified at sign-up;
    // a username-only user (`from_user_id`) has none to vouch for.
    ...(message.from ? { phone: message.from } : {}),
    displayName: contact?.profile?.name,
    ...content(message),
    meta: {
      type: message.type,
      phone_number_id: value.metadata?.phone_number_id,
      ...(message.context ? { context: message.context } : {}),
      ...typeMeta(message),
    },
  };
}

function content(message: WhatsappMessage): Pick<InboundMessage, "text" | "attachments"> {
  const media = MEDIA_TYPES.includes(message.type as (typeof MEDIA_TYPES)[number])
    ? message[message.type as (typeof MEDIA_TYPES)[number]]
    : undefined;
  if (media) {
    // Media is referenced by id; fetching it needs the access token (GET /{media id}).
    const attachment = {
      url: `whatsapp-media:${media.id}`,
      ...(media.mime_type ? { contentType: media.mime_type } : {}),
      ...(media.filename ? { name: media.filename } : {}),
    };
    return { text: media.caption ?? "", attachments: [attachment] };
  }
  return { text: text(message) };
}

function text(message: WhatsappMessage): string {
  const { interactive, location } = message;
  if (message.text) return message.text.body;
  if (message.button) return message.button.text;
  const reply = interactive?.button_reply ?? interactive?.list_reply;
  if (reply) return reply.title;
  if (location) {
    const place = [location.name, location.address].filter(Boolean).join(", ");
    const at = `Location: ${location.latitude}, ${location.longitude}`;
    return place ? `${at} (${place})` : at;
  }
  return "";
}

/** The ids behind a reply (what the business defined), which the title alone loses. */
function typeMeta(message: WhatsappMessage): Record<string, unknown> {
  const reply = message.interactive?.button_reply ?? message.interactive?.list_reply;
  if (reply) return { interactive: { type: message.interactive!.type, id: reply.id } };
  if (message.button?.payload !== undefined) return { button: { payload: message.button.payload } };
  if (message.location) return { location: message.location };
  return {};
}

function statusUpdate(status: WhatsappStatus): StatusUpdate | undefined {
  if (!STATUSES.has(status.status)) return undefined;
  const update: StatusUpdate = {
    providerMessageId: status.id,
    status: status.status as StatusUpdate["status"],
  };
  const error = status.errors?.[0];
  if (status.status === "failed" && error) update.error = `whatsapp ${errorLabel(error)}`;
  return update;
}

function errorLabel(error: { code: number; title?: string; message?: string }): string {
  return `${error.code} ${error.title ?? error.message ?? ""}`.trimEnd();
}
