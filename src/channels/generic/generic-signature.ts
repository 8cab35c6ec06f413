import { z } from "zod";
import { configNumber } from "../../shared/config-number.ts";
import { MainstayError } from "../../shared/errors.ts";
import { safeEqual } from "../../shared/hmac.ts";
import { headerOf, signSha256Body } from "../body-signature.ts";
import type { SignedNonce, WebhookRequest } from "../channel.ts";

export const SIGNATURE_HEADER = "x-mainstay-signature";
/** Unix seconds at signing; when sent, the signature covers it. */
export const TIMESTAMP_HEADER = "x-mainstay-timestamp";

/** Config of a channel whose senders sign with `X-Mainstay-Signature` (generic, email). */
export const replayWindowFields = {
  /** Refuse requests without a signed `X-Mainstay-Timestamp` (off: older senders still work). */
  requireTimestamp: z.boolean().default(false),
  /** How far a signed timestamp may be from now, either way; a copy is refused inside it. */
  replayWindowSeconds: configNumber(z.number().int().positive()).default(300),
};

/**
 * `sha256=<hex>`: HMAC-SHA256 keyed with the channel secret of the raw body or, with a
 * timestamp, of `<timestamp>.<raw body>`. The timestamp goes first and a dot apart, as in
 * Stripe's `Stripe-Signature` (https://docs.stripe.com/webhooks#verify-manually) and Slack's
 * `X-Slack-Signature` (https://api.slack.com/authentication/verifying-requests-from-slack),
 * so the same body signed at another time has another signature.
 */
export function signGenericBody(
  secret: string,
  body: string | Buffer,
  timestamp?: number | string,
): string {
  if (timestamp === undefined) return signSha256Body(secret, body);
  return signSha256Body(secret, Buffer.concat([Buffer.from(`${timestamp}.`), Buffer.from(body)]));
}

export interface GenericSignatureOptions {
  secret: string;
  /** Which secret to sign with, told to a sender whose signature does not match. */
  secretName: string;
  requireTimestamp: boolean;
  replayWindowSeconds: number;
  /** Current time in milliseconds. */
  now: number;
}

/**
 * Checks `X-Mainstay-Signature` in constant time, over `X-Mainstay-Timestamp` when the request
 * has one, and that timestamp against the replay window. Throws MainstayError (401); returns
 * the nonce the route accepts once when the signature covers a timestamp.
 */
export function verifyGenericSignature(
  request: WebhookRequest,
  options: GenericSignatureOptions,
): SignedNonce | undefined {
  const given = headerOf(request, SIGNATURE_HEADER);
  const timestamp = headerOf(request, TIMESTAMP_HEADER);
  if (!given) {
    throw new MainstayError("MS_SIGNATURE_MISSING", "X-Mainstay-Signature header is missing", 401);
  }
  if (timestamp === undefined) {
    if (options.requireTimestamp) {
      throw new MainstayError(
        "MS_SIGNATURE_MISSING",
        "X-Mainstay-Timestamp header is missing: this channel requires signed timestamps (requireTimestamp); send unix seconds and sign `<timestamp>.<raw body>`",
        401,
      );
    }
    expectSignature(
      given,
      signGenericBody(options.secret, request.rawBody),
      options,
      "the raw body",
    );
    return undefined;
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    throw new MainstayError(
      "MS_SIGNATURE_INVALID",
      `X-Mainstay-Timestamp must be unix seconds (digits only), got "${timestamp.slice(0, 40)}"`,
      401,
    );
  }
  const signed = signGenericBody(options.secret, request.rawBody, timestamp);
  expectSignature(given, signed, options, "`<X-Mainstay-Timestamp>.<raw body>`");
  const seconds = Number(timestamp);
  const skew = options.now / 1000 - seconds;
  if (Math.abs(skew) > options.replayWindowSeconds) {
    throw new MainstayError(
      "MS_SIGNATURE_STALE",
      `X-Mainstay-Timestamp ${timestamp} is ${Math.round(Math.abs(skew))} s in the ${skew > 0 ? "past" : "future"}, outside the ${options.replayWindowSeconds} s replay window: sign each request as you send it, and check the sender's clock`,
      401,
    );
  }
  // The signature itself is the nonce: it is unique to this timestamp and body.
  return { value: given, expiresAt: (seconds + options.replayWindowSeconds + 1) * 1000 };
}

function expectSignature(
  given: string,
  expected: string,
  options: GenericSignatureOptions,
  what: string,
): void {
  if (!safeEqual(given, expected)) {
    throw new MainstayError(
      "MS_SIGNATURE_INVALID",
      `X-Mainstay-Signature does not match: sign ${what} with the ${options.secretName}`,
      401,
    );
  }
}
