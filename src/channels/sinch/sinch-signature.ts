import { createHmac } from "node:crypto";
import { MainstayError } from "../../shared/errors.ts";
import { safeEqual } from "../../shared/hmac.ts";
import type { SignedNonce, WebhookRequest } from "../channel.ts";

const SIGNATURE = "x-sinch-webhook-signature";
const NONCE = "x-sinch-webhook-signature-nonce";
const TIMESTAMP = "x-sinch-webhook-signature-timestamp";
const ALGORITHM = "x-sinch-webhook-signature-algorithm";

export interface SinchSignatureOptions {
  webhookSecret: string;
  maxClockSkewSeconds: number;
  /** Current time in milliseconds. */
  now: number;
}

/**
 * Conversation API callback signature ("Validating Callbacks" in Sinch's callback docs):
 * base64 HMAC-SHA256 of `<raw body>.<nonce>.<timestamp>` keyed with the webhook secret,
 * timestamp in seconds. Throws MainstayError (401) unless the request passes; returns the
 * nonce, which the route accepts once while the timestamp is within `maxClockSkewSeconds`.
 */
export function verifySinchSignature(
  request: WebhookRequest,
  options: SinchSignatureOptions,
): SignedNonce {
  const signature = header(request, SIGNATURE);
  const nonce = header(request, NONCE);
  const timestamp = header(request, TIMESTAMP);
  const algorithm = header(request, ALGORITHM);
  if (!signature || !nonce || !timestamp || !algorithm) {
    throw new MainstayError(
      "MS_SIGNATURE_MISSING",
      "x-sinch-webhook-signature headers are missing: set a secret on the Sinch webhook",
      401,
    );
  }
  if (algorithm !== "HmacSHA256") {
    throw new MainstayError(
      "MS_SIGNATURE_INVALID",
      `unsupported x-sinch-webhook-signature-algorithm "${algorithm}" (only HmacSHA256)`,
      401,
    );
  }
  const signedData = Buffer.concat([request.rawBody, Buffer.from(`.${nonce}.${timestamp}`)]);
  const expected = createHmac("sha256", options.webhookSecret).update(signedData).digest("base64");
  if (!safeEqual(signature, expected)) {
    throw new MainstayError(
      "MS_SIGNATURE_INVALID",
      "x-sinch-webhook-signature does not match: check the channel's webhookSecret",
      401,
    );
  }
  const skewSeconds = Math.abs(options.now / 1000 - Number(timestamp));
  if (Number.isNaN(skewSeconds) || skewSeconds > options.maxClockSkewSeconds) {
    throw new MainstayError(
      "MS_SIGNATURE_STALE",
      `x-sinch-webhook-signature-timestamp ${timestamp} is more than ${options.maxClockSkewSeconds}s from now: check the server clock`,
      401,
    );
  }
  return { value: nonce, expiresAt: (Number(timestamp) + options.maxClockSkewSeconds + 1) * 1000 };
}

function header(request: WebhookRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
