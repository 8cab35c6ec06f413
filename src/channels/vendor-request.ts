import type { Clock } from "../shared/clock.ts";
import { type EgressFetch, isEgressRefusal } from "../shared/egress/index.ts";
import { retryAfterMs } from "../shared/retry-after.ts";
import { ChannelSendError } from "./channel.ts";

export interface VendorRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  /** Pull the vendor's own error code out of an error response body (JSON or text). */
  errorCode?: (body: unknown) => string | undefined;
  /** A wait the vendor puts in its error body instead of a `Retry-After` header. */
  bodyRetryAfterMs?: (body: unknown) => number | undefined;
  /** The server's egress `fetch` (ChannelDeps.fetch); default global fetch. */
  fetch?: EgressFetch;
  /** Where an HTTP-date `Retry-After` is counted from (ChannelDeps.clock). */
  clock: Clock;
}

/**
 * One HTTP call to a vendor API, with the failure rules every channel shares: network
 * errors, 408, 429 and 5xx are retryable (429/503 honour `Retry-After`); any other non-2xx
 * is permanent and carries the vendor's error code. Returns the parsed JSON body (or text).
 */
export async function vendorRequest(url: string, options: VendorRequestOptions): Promise<unknown> {
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      method: options.method ?? "POST",
      headers: options.headers,
      body: options.body,
      signal: options.signal,
    });
  } catch (e) {
    // A URL the egress policy refuses (a private address, a redirect) stays refused.
    if (isEgressRefusal(e)) {
      const reason = (e as Error).cause instanceof Error ? (e as Error).cause : e;
      throw new ChannelSendError((reason as Error).message, false, {
        vendorCode: "egress_refused",
      });
    }
    throw new ChannelSendError(`${hostOf(url)} unreachable: ${(e as Error).message}`, true);
  }
  const text = await response.text();
  const body = parseBody(text);
  if (response.ok) return body;
  const status = response.status;
  const retryable = status >= 500 || status === 408 || status === 429;
  const vendorCode = options.errorCode?.(body);
  throw new ChannelSendError(`${hostOf(url)} answered HTTP ${status}`, retryable, {
    vendorCode,
    retryAfterMs:
      retryAfterMs(response.headers, options.clock.now()) ?? options.bodyRetryAfterMs?.(body),
  });
}

function parseBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "vendor";
  }
}
