import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";
import { Agent, type Dispatcher, fetch as undiciFetch, request as undiciRequest } from "undici";
import { MainstayError } from "../errors.ts";
import { addressPolicy } from "./address-policy.ts";

/** `fetch`, as every outbound request of Mainstay makes it: through the egress policy. */
export interface EgressFetch {
  (url: string | URL, init?: RequestInit): Promise<Response>;
  /**
   * The same way out through undici's `request` (no WHATWG Request, Response or streams,
   * a fraction of fetch's cost per call), for the proxy's hot path. `createEgress`'s fetch
   * has it; a plain `fetch` does not.
   */
  request?: EgressRequest;
}

export type EgressRequest = (
  url: string,
  options: Pick<Dispatcher.RequestOptions, "method" | "headers" | "body" | "signal">,
) => Promise<Dispatcher.ResponseData>;

/** Resolves a host name to all its addresses (tests pass their own). */
export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

export interface EgressOptions {
  /** CIDR ranges, addresses and host names that may be reached although not public. */
  allow?: readonly string[];
  resolve?: Resolve;
}

export const EGRESS_REFUSED = "MS_EGRESS_REFUSED";

const systemResolve: Resolve = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true }, (err, addresses) =>
      err ? reject(err) : resolve(addresses),
    ),
  );

/**
 * The one way out (OWASP SSRF Prevention Cheat Sheet): every address a host name resolves
 * to is checked, and the connection goes to the address that was checked, never to a
 * second resolution (a DNS rebinding answer cannot slip in between); address literals are
 * checked before connecting; redirects are never followed, since a public URL could send
 * the request (and its credentials) to an internal one.
 */
export function createEgress(options: EgressOptions = {}): {
  fetch: EgressFetch;
  close(): Promise<void>;
} {
  const policy = addressPolicy(options.allow);
  const resolve = options.resolve ?? systemResolve;
  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const refused = addresses
          .map((a) => policy.refusal(a.address, hostname))
          .find((r) => r !== undefined);
        if (addresses.length === 0) return callback(new Error(`${hostname}: no address`), "", 0);
        if (refused) return callback(refusedError(hostname, refused), "", 0);
        if (lookupOptions.all) return callback(null, addresses as never, 0);
        return callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (e: NodeJS.ErrnoException) => callback(e, "", 0),
    );
  };
  // One pool of keep-alive connections per origin: a reused connection was checked when
  // it was opened (`lookup`), so reuse keeps the policy.
  const agent = new Agent({ connect: { lookup } });
  /** A literal address is connected to without a lookup, so it is checked here. */
  const checkTarget = (url: string | URL) => {
    const target = new URL(url);
    const host = target.hostname.replace(/^\[|\]$/g, "");
    if (isAddressLiteral(host)) {
      const refused = policy.refusal(host, host);
      if (refused) throw refusedError(host, refused);
    }
    return target;
  };
  const request: EgressRequest = async (url, init) => {
    const target = checkTarget(url);
    // undici's `request` follows no redirect; a 3xx is refused as fetch's is.
    const response = await undiciRequest(target, { ...init, dispatcher: agent });
    const location = response.headers["location"];
    if (response.statusCode >= 300 && response.statusCode < 400 && location) {
      await response.body.dump();
      throw redirectRefused(target, response.statusCode, String(location));
    }
    return response;
  };
  const fetch: EgressFetch = async (url, init) => {
    const target = checkTarget(url);
    const response = (await undiciFetch(target, {
      ...(init as Parameters<typeof undiciFetch>[1]),
      redirect: "manual",
      dispatcher: agent,
    })) as unknown as Response;
    if (response.status >= 300 && response.status < 400 && response.headers.has("location")) {
      await response.body?.cancel();
      throw redirectRefused(target, response.status, response.headers.get("location")!);
    }
    return response;
  };
  fetch.request = request;
  return { fetch, close: () => agent.close() };
}

/** Whether an error is a refusal by the egress policy (not worth retrying). */
export const isEgressRefusal = (e: unknown): boolean =>
  (e instanceof MainstayError && e.code === EGRESS_REFUSED) ||
  (e instanceof Error && e.cause instanceof MainstayError && e.cause.code === EGRESS_REFUSED);

function refusedError(host: string, why: string): MainstayError {
  return new MainstayError(
    EGRESS_REFUSED,
    `request to ${host} refused: ${why}; add it to server.egress.allow to allow it`,
    502,
  );
}

function isAddressLiteral(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(":");
}

function redirectRefused(target: URL, status: number, location: string): MainstayError {
  return new MainstayError(
    EGRESS_REFUSED,
    `${target.host} answered a redirect (HTTP ${status}) to ${redirectTarget(location, target)}; redirects are not followed: use the final URL`,
    502,
  );
}

function redirectTarget(location: string, from: URL): string {
  try {
    return new URL(location, from).host;
  } catch {
    return "an invalid location";
  }
}
