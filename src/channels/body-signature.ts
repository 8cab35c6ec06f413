import { MainstayError } from "../shared/errors.ts";
import { hmacSha256Hex, safeEqual } from "../shared/hmac.ts";
import type { WebhookRequest } from "./channel.ts";

/** `sha256=<hex HMAC-SHA256 of the raw body>`: Meta's `X-Hub-Signature-256` and ours. */
export function signSha256Body(secret: string, body: string | Buffer): string {
  return `sha256=${hmacSha256Hex(secret, body)}`;
}

/** The first value of a request header (node gives arrays for repeated headers). */
export function headerOf(request: WebhookRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Check a `sha256=<hex>` body signature in `header` (lower-case name), in constant time.
 * `hint` tells the caller what to fix when it does not match.
 */
export function verifySha256Body(
  request: WebhookRequest,
  options: { header: string; label: string; secret: string; hint: string },
): void {
  const given = headerOf(request, options.header);
  if (!given) {
    throw new MainstayError("MS_SIGNATURE_MISSING", `${options.label} header is missing`, 401);
  }
  if (!safeEqual(given, signSha256Body(options.secret, request.rawBody))) {
    throw new MainstayError(
      "MS_SIGNATURE_INVALID",
      `${options.label} does not match the body: ${options.hint}`,
      401,
    );
  }
}
