import { z } from "zod";
import type { Clock } from "../../shared/clock.ts";
import type { EgressFetch } from "../../shared/egress/index.ts";
import { ChannelSendError } from "../channel.ts";
import { vendorRequest } from "../vendor-request.ts";

/** Renew this long before Sinch says the token expires, so a send never carries a dead one. */
const EXPIRY_MARGIN_MS = 60_000;
const TOKEN_TIMEOUT_MS = 10_000;

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
});

export interface SinchTokenOptions {
  tokenUrl: string;
  keyId: string;
  keySecret: string;
  clock: Clock;
  fetch?: EgressFetch;
}

export interface SinchTokenSource {
  /** A valid access token, fetched once and shared by concurrent callers. */
  get(): Promise<string>;
  /** Forget `token` after the API refused it (a newer cached token is kept). */
  invalidate(token: string): void;
}

/** OAuth2 client credentials against `auth.sinch.com` (Sinch "OAuth2 authentication" docs). */
export function createSinchTokenSource(options: SinchTokenOptions): SinchTokenSource {
  let cached: { value: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    const credentials = Buffer.from(`${options.keyId}:${options.keySecret}`).toString("base64");
    const body = await vendorRequest(options.tokenUrl, {
      headers: {
        authorization: `Basic ${credentials}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=client_credentials",
      // Not the caller's signal: the request is shared, one caller giving up must not fail the rest.
      signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
      // RFC 6749 section 5.2: `{"error":"invalid_client",...}`
      errorCode: (b) =>
        typeof b === "object" && b !== null && "error" in b && typeof b.error === "string"
          ? b.error
          : undefined,
      fetch: options.fetch,
      clock: options.clock,
    });
    const parsed = tokenResponseSchema.safeParse(body);
    if (!parsed.success) {
      throw new ChannelSendError("the Sinch token endpoint answered without an access_token", true);
    }
    const { access_token, expires_in } = parsed.data;
    cached = {
      value: access_token,
      expiresAt: options.clock.now() + expires_in * 1000 - EXPIRY_MARGIN_MS,
    };
    return access_token;
  }

  return {
    get() {
      if (cached && options.clock.now() < cached.expiresAt) return Promise.resolve(cached.value);
      pending ??= fetchToken().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate(token) {
      if (cached?.value === token) cached = undefined;
    },
  };
}
