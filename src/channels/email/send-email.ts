import type { NodemailerError, SendMailOptions, Transporter } from "nodemailer";
import { ChannelSendError } from "../channel.ts";

/**
 * One message over SMTP, with the channel failure rules: a 4xx reply, a lost connection
 * and a timeout are retryable; a 5xx reply is permanent and keeps its code. The caller's
 * `signal` cancels the send (nodemailer closes the connection).
 */
export async function sendEmail(
  transport: Transporter,
  mail: SendMailOptions,
  signal: AbortSignal,
): Promise<void> {
  try {
    await transport.sendMail({ ...mail, signal });
  } catch (e) {
    throw toSendError(e as NodemailerError, signal);
  }
}

function toSendError(error: NodemailerError, signal: AbortSignal): ChannelSendError {
  if (error.code === "EABORT") {
    const reason = signal.reason instanceof Error ? signal.reason.message : "aborted";
    // The server may have accepted the message already; the retry carries the same
    // Message-ID, on which mailbox providers such as Gmail deduplicate.
    return new ChannelSendError(`SMTP send cancelled: ${reason}`, true);
  }
  // A refused login fails every message alike until the operator fixes `smtpUrl`: retry.
  if (typeof error.responseCode === "number" && error.code !== "EAUTH") {
    // nodemailer sets `permanent` from the reply class (RFC 5321 section 4.2.1): 5yz is a
    // permanent rejection, except 503 (bad sequence of commands), which a new session fixes.
    return new ChannelSendError(
      `SMTP server answered ${error.response ?? error.responseCode}`,
      error.permanent !== true,
      { vendorCode: String(error.responseCode) },
    );
  }
  // No reply from the server: it was unreachable, the TLS or login failed, or the envelope
  // was unusable before anything was sent (EENVELOPE: no valid recipient address).
  return new ChannelSendError(
    `SMTP send failed (${error.code ?? "error"}): ${error.message}`,
    error.code !== "EENVELOPE",
  );
}
