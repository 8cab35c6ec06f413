import nodemailer, { type SendMailOptions } from "nodemailer";
import type { Digest, Notifier } from "./notification.ts";
import { digestSummary, leadItem } from "./notification.ts";

export interface EmailDestination {
  /** `smtps://user:pass@host:465` or `smtp://user:pass@host:587`. */
  smtpUrl: string;
  from: string;
  to: string[];
  timeoutMs: number;
}

/** Subject and plain-text body of the digest. */
export function emailContent(digest: Digest): { subject: string; text: string } {
  const lead = leadItem(digest);
  const others = digest.items.length - 1 + digest.more;
  const subject = `[Mainstay] ${lead.title}${others > 0 ? ` (+${others} more)` : ""}`;
  const blocks = digest.items.map((item) =>
    [
      `${item.type === "alert.resolved" ? "RESOLVED" : item.severity.toUpperCase()}: ${item.title}`,
      item.text,
      ...(item.incidentId ? [`Incident: ${item.incidentId}`] : []),
      `At: ${new Date(item.at).toISOString()}`,
    ].join("\n"),
  );
  if (digest.more > 0) blocks.push(`…and ${digest.more} more in the next message.`);
  return { subject, text: `${digestSummary(digest)}\n\n${blocks.join("\n\n")}\n` };
}

export function emailNotifier(destination: EmailDestination): Notifier {
  const transport = nodemailer.createTransport({
    url: destination.smtpUrl,
    connectionTimeout: destination.timeoutMs,
    greetingTimeout: destination.timeoutMs,
    socketTimeout: destination.timeoutMs,
  });
  return {
    async send(digest, signal) {
      const { subject, text } = emailContent(digest);
      const domain = destination.from.replace(/^.*@/, "").replace(/>.*$/, "");
      const mail: SendMailOptions = {
        from: destination.from,
        to: destination.to,
        subject,
        text,
        // The same id on a retried send lets mailbox providers drop the duplicate.
        messageId: `<${digest.id}@${domain}>`,
      };
      // nodemailer closes the connection when `signal` aborts (as the email channel relies on).
      await transport.sendMail({ ...mail, signal });
    },
  };
}
