import { type ParsedMail, simpleParser } from "mailparser";
import type { InboundMessage } from "../../conversations/index.ts";
import { MainstayError } from "../../shared/errors.ts";
import type { Attachment } from "../../store/index.ts";
import { stripQuotedReply } from "./strip-quoted-reply.ts";

/**
 * A raw RFC 5322 message as the customer's mail server delivered it, parsed into the
 * message Mainstay stores; `null` for an automatic message (see `isAutomatic`).
 */
export async function parseInboundEmail(raw: Buffer): Promise<InboundMessage | null> {
  const mail = await parse(raw);
  const sender = mail.from?.value[0];
  if (!sender?.address) {
    throw new MainstayError(
      "MS_BAD_REQUEST",
      "body is not an email with a From address: POST the raw RFC 822 message (message/rfc822)",
      400,
    );
  }
  if (isAutomatic(mail)) return null;
  return {
    providerMessageId: mail.messageId ?? null,
    from: sender.address.toLowerCase(),
    ...(sender.name ? { displayName: sender.name } : {}),
    text: stripQuotedReply(mail.text ?? ""),
    attachments: attachmentsOf(mail),
    meta: mail.subject === undefined ? {} : { subject: mail.subject },
    references: referencesOf(mail),
  };
}

async function parse(raw: Buffer): Promise<ParsedMail> {
  try {
    // Links and HTML versions of the text are never used: skip building them.
    return await simpleParser(raw, { skipTextToHtml: true, skipTextLinks: true });
  } catch (e) {
    throw new MainstayError("MS_BAD_REQUEST", `body is not a readable email: ${e}`, 400);
  }
}

/**
 * Out-of-office replies, bounces and other machine mail: RFC 3834 section 2 forbids
 * answering a message whose `Auto-Submitted` is anything but "no", and a delivery status
 * notification (RFC 3464, `multipart/report`) is a bounce. Answering either can loop.
 */
function isAutomatic(mail: ParsedMail): boolean {
  const autoSubmitted = mail.headers.get("auto-submitted");
  if (typeof autoSubmitted === "string" && autoSubmitted.trim().toLowerCase() !== "no") {
    return true;
  }
  const contentType = mail.headers.get("content-type");
  return (
    typeof contentType === "object" &&
    "value" in contentType &&
    contentType.value === "multipart/report"
  );
}

/**
 * Message-IDs this one answers: `In-Reply-To` first, then `References` newest first, so
 * the pipeline finds our latest message in the thread before older ones.
 */
function referencesOf(mail: ParsedMail): string[] {
  const references = [mail.references ?? []].flat().reverse();
  const ids = [mail.inReplyTo ?? "", ...references].flatMap(
    (value) => value.match(/<[^<>\s]+>/g) ?? [],
  );
  return [...new Set(ids)];
}

/**
 * Metadata only: the content is not stored, so the URL names the attachment by checksum.
 * Images the HTML body embeds (`related`, e.g. a signature logo) are part of the text's
 * layout, not something the customer sent.
 */
function attachmentsOf(mail: ParsedMail): Attachment[] {
  return mail.attachments
    .filter((a) => !a.related)
    .map((a) => ({
      url: `email-attachment:${a.checksum}`,
      contentType: a.contentType,
      ...(a.filename ? { name: a.filename } : {}),
      size: a.size,
    }));
}
