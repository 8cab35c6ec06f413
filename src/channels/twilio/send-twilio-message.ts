import type { Logger } from "pino";
import type { Clock } from "../../shared/clock.ts";
import type { EgressFetch } from "../../shared/egress/index.ts";
import type { OutboundMessage, SendResult } from "../channel.ts";
import { vendorRequest } from "../vendor-request.ts";
import type { TwilioConfig } from "./twilio-config.ts";

export interface TwilioSendOptions {
  /** Where Twilio posts this message's status callbacks; none when unset. */
  statusCallback?: string;
  logger: Logger;
  fetch?: EgressFetch;
  clock: Clock;
}

/** Create a Message resource (docs/messaging/api/message-resource#create-a-message-resource). */
export async function sendTwilioMessage(
  config: TwilioConfig,
  message: OutboundMessage,
  signal: AbortSignal,
  options: TwilioSendOptions,
): Promise<SendResult> {
  const form = new URLSearchParams({ To: message.to, Body: message.text });
  if (config.from) form.set("From", config.from);
  else form.set("MessagingServiceSid", config.messagingServiceSid!);
  for (const attachment of message.attachments) form.append("MediaUrl", attachment.url);
  if (options.statusCallback) form.set("StatusCallback", options.statusCallback);

  const credentials = Buffer.from(`${config.accountSid}:${config.authToken}`).toString("base64");
  const created = await vendorRequest(
    `${config.apiBase}/2010-04-01/Accounts/${config.accountSid}/Messages.json`,
    {
      headers: {
        authorization: `Basic ${credentials}`,
        "content-type": "application/x-www-form-urlencoded",
        "i-twilio-idempotency-token": message.id,
      },
      body: form.toString(),
      signal,
      errorCode: twilioErrorCode,
      fetch: options.fetch,
      clock: options.clock,
    },
  );
  const sid = field(created, "sid");
  if (typeof sid !== "string") {
    options.logger.warn({ messageId: message.id }, "Twilio accepted a message without a sid");
    return {};
  }
  return { providerMessageId: sid };
}

/** Twilio errors are `{code, message, more_info, status}` (docs/usage/twilios-response). */
function twilioErrorCode(body: unknown): string | undefined {
  const code = field(body, "code");
  return code === undefined || code === null ? undefined : String(code);
}

function field(body: unknown, name: string): unknown {
  return typeof body === "object" && body !== null
    ? (body as Record<string, unknown>)[name]
    : undefined;
}
