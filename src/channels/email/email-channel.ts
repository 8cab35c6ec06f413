import nodemailer from "nodemailer";
import { z } from "zod";
import { configNumber } from "../../shared/config-number.ts";
import { acceptedResponse } from "../accepted-response.ts";
import type { Channel, ChannelDefinition, OutboundMessage } from "../channel.ts";
import { replayWindowFields, verifyGenericSignature } from "../generic/generic-signature.ts";
import { parseInboundEmail } from "./parse-inbound-email.ts";
import { sendEmail } from "./send-email.ts";

const configSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, - and _"),
    type: z.literal("email"),
    /** `smtps://user:pass@host:465` or `smtp://user:pass@host:587` (STARTTLS when offered). */
    smtpUrl: z.url({ protocol: /^smtps?$/, hostname: /./, error: "an smtp:// or smtps:// URL" }),
    /** The sender: `support@example.com` or `Acme Support <support@example.com>`. */
    from: z.string().refine((v) => domainOf(v) !== undefined, {
      error: 'an address like "support@example.com" or "Acme <support@example.com>"',
    }),
    /** Shared secret for `X-Mainstay-Signature` on forwarded inbound messages. */
    inboundSecret: z.string().min(16, "use at least 16 characters"),
    /** Subject of a reply when the thread's subject is not known. */
    subject: z.string().min(1).default("Re: your message"),
    sendTimeoutMs: configNumber(z.number().int().positive()).default(15_000),
    ...replayWindowFields,
  })
  .strict();

/** The domain of `addr@domain` or `Name <addr@domain>`, lower-cased. */
function domainOf(from: string): string | undefined {
  const match = /^(?:[^<>]*<([^\s<>@]+@[^\s<>@]+)>|([^\s<>@]+@[^\s<>@]+))$/.exec(from.trim());
  const address = match?.[1] ?? match?.[2];
  return address?.slice(address.indexOf("@") + 1).toLowerCase();
}

/**
 * `Re: <thread subject>`: the reply's own subject if it has one, else the subject of the
 * customer's message it answers, else the configured subject.
 */
function subjectOf(message: OutboundMessage, fallback: string): string {
  const subject = message.meta.subject ?? message.inReplyToMeta.subject;
  if (typeof subject !== "string" || subject.trim() === "") return fallback;
  return /^re:/i.test(subject) ? subject : `Re: ${subject}`;
}

/**
 * Email: raw messages forwarded to the webhook (signed like the generic channel), replies
 * over SMTP threaded on the customer's latest Message-ID. Setup in docs/channels/email.md.
 */
export const emailChannel: ChannelDefinition<typeof configSchema> = {
  type: "email",
  traits: {
    addresses: "email",
    confirmsOptOut: false,
    receipts: false,
    // The Message-ID is derived from our message id, so a resend is recognisable.
    idempotentSends: true,
    retriesRefused: false,
  },
  configSchema,
  create(config, deps): Channel {
    const domain = domainOf(config.from)!;
    const transport = nodemailer.createTransport({
      url: config.smtpUrl,
      connectionTimeout: config.sendTimeoutMs,
      greetingTimeout: config.sendTimeoutMs,
      socketTimeout: config.sendTimeoutMs,
    });
    return {
      id: config.id,
      type: "email",
      async handleWebhook(request) {
        const nonce = verifyGenericSignature(request, {
          ...config,
          secret: config.inboundSecret,
          secretName: "inboundSecret",
          now: deps.clock.now(),
        });
        const message = await parseInboundEmail(request.rawBody);
        return { messages: message ? [message] : [], statuses: [], ...(nonce ? { nonce } : {}) };
      },
      // No message: an automatic email (out-of-office, bounce) that is not answered.
      webhookResponse: acceptedResponse,
      async send(message, signal) {
        // Derived from our message id, so a send retried after a crash carries the same
        // Message-ID (RFC 5322 section 3.6.4); written with the angle brackets mailparser
        // keeps when it reads the id back from the customer's `In-Reply-To`.
        const messageId = `<${message.id}@${domain}>`;
        const thread = message.inReplyTo ?? undefined;
        await sendEmail(
          transport,
          {
            from: config.from,
            to: message.to,
            subject: subjectOf(message, config.subject),
            messageId,
            inReplyTo: thread,
            references: thread,
            date: new Date(deps.clock.now()),
            text: message.text,
          },
          AbortSignal.any([signal, AbortSignal.timeout(config.sendTimeoutMs)]),
        );
        return { providerMessageId: messageId };
      },
    };
  },
};
