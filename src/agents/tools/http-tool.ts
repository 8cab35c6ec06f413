import type { EgressFetch } from "../../shared/egress/index.ts";
import { describeError, MainstayError } from "../../shared/errors.ts";
import type { Tool } from "./tool.ts";
import { DEFAULT_MAX_RESULT_BYTES, truncateResult } from "./truncate-result.ts";
import { fillUrlTemplate, misplacedPlaceholder } from "./url-template.ts";

export type HttpToolMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface HttpToolOptions {
  name: string;
  description: string;
  method: HttpToolMethod;
  /**
   * `https://api.example.com/orders/{{orderId}}`: each `{{arg}}` is replaced by that
   * argument, URL-encoded within its path segment or query value (url-template.ts).
   * Arguments not in the template go in the query string (GET, DELETE) or the JSON body
   * (POST, PUT, PATCH).
   */
  url: string;
  /** JSON Schema of the arguments object; `createToolSet` validates every call against it. */
  parameters: Record<string, unknown>;
  /**
   * Sent with every request, e.g. `{ name: "Authorization", value: "Bearer ..." }`. Agent
   * config holds only the NAME of the environment variable with the secret; the caller
   * reads it at startup, so a missing variable fails there and never reaches a log.
   */
  authHeader?: { name: string; value: string };
  timeoutMs: number;
  /** The response body is cut to this many bytes; defaults to `DEFAULT_MAX_RESULT_BYTES`. */
  maxResultBytes?: number;
  /** The server's egress `fetch` (checked addresses, no redirects); default global fetch. */
  fetch?: EgressFetch;
}

interface HttpRequest {
  url: string;
  headers: Record<string, string>;
  body?: string;
}

const BODY_METHODS = new Set<HttpToolMethod>(["POST", "PUT", "PATCH"]);

/**
 * A tool backed by an HTTP API. Timeouts, network errors and non-2xx statuses come back as
 * content for the model to read and act on; only the turn's own cancellation is thrown.
 */
export function createHttpTool(options: HttpToolOptions): Tool {
  const { name, description, parameters, method, timeoutMs } = options;
  const maxBytes = options.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
  const misplaced = misplacedPlaceholder(options.url);
  if (misplaced) {
    throw new MainstayError("MS_TOOL_INVALID", `tool "${name}": ${misplaced}: ${options.url}`);
  }
  const send = options.fetch ?? fetch;
  return {
    spec: { name, description, parameters },
    async run(args, ctx) {
      const request = buildRequest(options, args);
      if (typeof request === "string") return { content: request };
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = ctx.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout;
      try {
        const { url, headers, body } = request;
        const response = await send(url, { method, headers, body, signal });
        const text = await readText(response, maxBytes);
        if (response.ok) {
          return { content: truncateResult(text || `(empty, HTTP ${response.status})`, maxBytes) };
        }
        const status = `error: HTTP ${response.status} ${response.statusText}`;
        return { content: truncateResult(text ? `${status}: ${text}` : status, maxBytes) };
      } catch (e) {
        if (ctx.signal?.aborted) throw e;
        if (timeout.aborted) return { content: `error: no response within ${timeoutMs} ms` };
        return { content: `error: request failed: ${describeFetchError(e)}` };
      }
    },
  };
}

/** The request for `args`, or what is wrong with them when the URL cannot be filled in. */
function buildRequest(
  options: HttpToolOptions,
  args: Record<string, unknown>,
): HttpRequest | string {
  const filled = fillUrlTemplate(options.url, args);
  if ("problem" in filled) return `invalid arguments: ${filled.problem}`;
  const { url, used } = filled;
  const rest = Object.entries(args).filter(([key, v]) => !used.has(key) && v !== undefined);
  const headers: Record<string, string> = {};
  if (options.authHeader) headers[options.authHeader.name] = options.authHeader.value;
  if (BODY_METHODS.has(options.method)) {
    headers["content-type"] = "application/json";
    return { url: url.href, headers, body: JSON.stringify(Object.fromEntries(rest)) };
  }
  for (const [key, value] of rest) url.searchParams.append(key, toParam(value));
  return { url: url.href, headers };
}

function toParam(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Reads at most a little past `maxBytes`, so a huge response is not held in memory. */
async function readText(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size <= maxBytes) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
  }
  await reader.cancel();
  return Buffer.concat(chunks).toString("utf8");
}

/** fetch reports "fetch failed" and keeps the reason (ECONNREFUSED, DNS...) in `cause`. */
function describeFetchError(e: unknown): string {
  const cause = e instanceof Error && e.cause !== undefined ? ` (${describeError(e.cause)})` : "";
  return describeError(e) + cause;
}
