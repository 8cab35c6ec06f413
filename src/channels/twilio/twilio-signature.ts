import { createHmac } from "node:crypto";
import { MainstayError } from "../../shared/errors.ts";
import { safeEqual } from "../../shared/hmac.ts";
import type { WebhookRequest } from "../channel.ts";

export const TWILIO_SIGNATURE_HEADER = "x-twilio-signature";

/** A form body as name/value pairs, in the order sent (names may repeat). */
export type FormParams = [name: string, value: string][];

/**
 * Twilio's `X-Twilio-Signature`: base64 HMAC-SHA1, keyed with the Auth Token, of the full
 * URL followed by each POST parameter's name and value, sorted by name with no delimiters
 * (https://www.twilio.com/docs/usage/webhooks/webhooks-security).
 */
export function twilioSignature(authToken: string, url: string, params: FormParams): string {
  const sorted = [...params].sort(([a, x], [b, y]) => compare(a, b) || compare(x, y));
  const data = sorted.reduce((signed, [name, value]) => signed + name + value, url);
  return createHmac("sha1", authToken).update(data, "utf8").digest("base64");
}

export function verifyTwilioSignature(
  authToken: string,
  request: WebhookRequest,
  params: FormParams,
): void {
  const header = request.headers[TWILIO_SIGNATURE_HEADER];
  const given = Array.isArray(header) ? header[0] : header;
  if (!given) {
    throw new MainstayError("MS_SIGNATURE_MISSING", "X-Twilio-Signature header is missing", 401);
  }
  const valid = urlsTwilioMaySign(request.url).some((url) =>
    safeEqual(given, twilioSignature(authToken, url, params)),
  );
  if (!valid) {
    throw new MainstayError(
      "MS_SIGNATURE_INVALID",
      `X-Twilio-Signature does not match ${request.url}: the Auth Token must be this account's, ` +
        "and server.publicUrl must be the URL configured in Twilio",
      401,
    );
  }
}

/**
 * Twilio signs the URL as configured, with or without an explicit port, while the URL we
 * rebuild drops a default port. Like twilio-node's `validateRequest`, accept the URL as
 * received, without its port, and (when it has none) with the scheme's default port.
 */
function urlsTwilioMaySign(url: string): string[] {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/is.exec(url);
  if (!match) return [url];
  const [, scheme = "", authority = "", rest = ""] = match;
  const port = /:\d*$/.exec(authority.slice(authority.lastIndexOf("]") + 1))?.[0];
  if (port) return [url, scheme + authority.slice(0, -port.length) + rest];
  const defaultPort = scheme.toLowerCase() === "https://" ? ":443" : ":80";
  return [url, scheme + authority + defaultPort + rest];
}

/** Code-unit order, as Twilio's "Unix-style case-sensitive" sort and `Array.sort` use. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
