import type { Logger } from "pino";
import { z } from "zod";
import type { InboundMessage, StatusUpdate } from "../../conversations/index.ts";
import { MainstayError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/parse-input.ts";
import type { Attachment } from "../../store/index.ts";
import type { WebhookRequest, WebhookResult } from "../channel.ts";
import type { FormParams } from "./twilio-signature.ts";

/** Twilio adds parameters without notice (docs/messaging/guides/webhook-request): not strict. */
const inboundSchema = z.object({
  MessageSid: z.string().min(1),
  From: z.string().min(1),
  To: z.string().min(1),
  Body: z.string().default(""),
  ProfileName: z.string().min(1).optional(),
  // An MMS carries at most 10 media files (docs/messaging/api/media-resource).
  NumMedia: z.coerce.number().int().min(0).max(10).default(0),
  NumSegments: z.coerce.number().int().min(0).optional(),
  MessagingServiceSid: z.string().min(1).optional(),
  FromCountry: z.string().min(1).optional(),
});

const statusSchema = z.object({
  MessageSid: z.string().min(1),
  MessageStatus: z.string().min(1),
  ErrorCode: z.string().optional(),
});

/**
 * Outbound statuses worth recording (docs/messaging/api/message-resource#message-status-values).
 * `queued`, `accepted`, `sending` and `scheduled` are steps before `sent`: no update.
 */
const STATUS_UPDATES = new Map<string, StatusUpdate["status"] | null>([
  ["sent", "sent"],
  ["delivered", "delivered"],
  ["read", "read"],
  ["undelivered", "failed"],
  ["failed", "failed"],
  ["queued", null],
  ["accepted", null],
  ["sending", null],
  ["scheduled", null],
]);

/** The form parameters of a webhook; Twilio posts `application/x-www-form-urlencoded`. */
export function readTwilioForm(request: WebhookRequest): FormParams {
  const header = request.headers["content-type"];
  const contentType = (Array.isArray(header) ? header[0] : header) ?? "";
  if (!contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    throw new MainstayError(
      "MS_BAD_REQUEST",
      `body must be application/x-www-form-urlencoded, got ${contentType || "no Content-Type"}`,
      400,
    );
  }
  return [...new URLSearchParams(request.rawBody.toString("utf8"))];
}

/**
 * An incoming message, or a status callback for one we sent: both arrive at the channel's
 * webhook. Incoming messages carry `SmsStatus`/`MessageStatus` `received` (or none).
 */
export function parseTwilioWebhook(params: FormParams, logger: Logger): WebhookResult {
  const fields = Object.fromEntries(params);
  const status = fields.MessageStatus;
  if (status !== undefined && status !== "received") {
    return { messages: [], statuses: parseStatus(fields, logger) };
  }
  return { messages: [parseInbound(fields)], statuses: [] };
}

function parseInbound(fields: Record<string, string>): InboundMessage {
  const body = parseInput(inboundSchema, fields);
  return {
    providerMessageId: body.MessageSid,
    from: body.From,
    // The carrier's sender id: the number Twilio vouches the message came from.
    phone: body.From,
    displayName: body.ProfileName,
    text: body.Body,
    attachments: attachmentsOf(fields, body.NumMedia),
    meta: {
      to: body.To,
      ...(body.NumSegments !== undefined ? { numSegments: body.NumSegments } : {}),
      ...(body.MessagingServiceSid ? { messagingServiceSid: body.MessagingServiceSid } : {}),
      ...(body.FromCountry ? { fromCountry: body.FromCountry } : {}),
    },
  };
}

/** `MediaUrlN`/`MediaContentTypeN` for N below `NumMedia`. */
function attachmentsOf(fields: Record<string, string>, count: number): Attachment[] {
  return Array.from({ length: count }, (_, i) => {
    const url = fields[`MediaUrl${i}`];
    if (!url) {
      throw new MainstayError("MS_BAD_REQUEST", `MediaUrl${i}: missing, NumMedia is ${count}`, 400);
    }
    const contentType = fields[`MediaContentType${i}`];
    return contentType ? { url, contentType } : { url };
  });
}

function parseStatus(fields: Record<string, string>, logger: Logger): StatusUpdate[] {
  const body = parseInput(statusSchema, fields);
  const status = STATUS_UPDATES.get(body.MessageStatus);
  if (status === undefined) {
    logger.warn(
      { messageSid: body.MessageSid, messageStatus: body.MessageStatus },
      "unknown Twilio MessageStatus ignored",
    );
  }
  if (!status) return [];
  return [
    {
      providerMessageId: body.MessageSid,
      status,
      ...(status === "failed" && body.ErrorCode ? { error: `twilio ${body.ErrorCode}` } : {}),
    },
  ];
}
