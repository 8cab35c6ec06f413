import { type EgressFetch, isEgressRefusal } from "../shared/egress/index.ts";
import { describeError } from "../shared/errors.ts";
import { type OpenAIErrorBody, openAIError } from "./openai-error.ts";
import type { ProxyConfig } from "./proxy-config.ts";

export type UpstreamResult =
  /** A whole answer: a completion, or an upstream error of a stream request too. */
  | { kind: "complete"; status: number; contentType: string; text: string }
  | { kind: "stream"; body: ReadableStream<Uint8Array>; close: () => void }
  /** No answer at all: Mainstay's own error, in the OpenAI shape. */
  | { kind: "failed"; status: number; body: OpenAIErrorBody };

/**
 * POST the request to `{baseUrl}/chat/completions`. `timeoutMs` bounds a whole answer, or
 * a stream until its headers: a long stream is not cut, only ended by `close`.
 * `signal` is the client going away.
 */
export async function callUpstream(
  config: ProxyConfig,
  body: { stream?: boolean | null | undefined },
  signal: AbortSignal,
  send: EgressFetch = fetch,
): Promise<UpstreamResult> {
  const { baseUrl, apiKey } = config.upstream;
  const controller = new AbortController();
  const timeout = AbortSignal.timeout(config.timeoutMs);
  const cancelTimeout = forward(timeout, controller);
  const cancelClient = forward(signal, controller);
  const close = () => {
    cancelTimeout();
    cancelClient();
    controller.abort();
  };
  try {
    const response = await send(`${baseUrl.replace(/\/+$/, "")}/chat/completions`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: body.stream ? "text/event-stream" : "application/json",
        ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
      },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    if (body.stream && response.ok && response.body) {
      cancelTimeout();
      return { kind: "stream", body: response.body, close };
    }
    const text = await response.text();
    close();
    const contentType = response.headers.get("content-type") ?? "application/json";
    return { kind: "complete", status: response.status, contentType, text };
  } catch (e) {
    close();
    if (timeout.aborted) {
      const message = `upstream did not answer within ${config.timeoutMs} ms`;
      return {
        kind: "failed",
        status: 504,
        body: openAIError(message, "upstream_error", "upstream_timeout"),
      };
    }
    if (isEgressRefusal(e)) {
      // A private address or a redirect: the policy's reason, never what was behind it.
      const reason = (e as Error).cause instanceof Error ? ((e as Error).cause as Error) : e;
      return {
        kind: "failed",
        status: 502,
        body: openAIError((reason as Error).message, "upstream_error", "upstream_refused"),
      };
    }
    // fetch reports "fetch failed"; the reason (ECONNREFUSED, DNS...) is its cause.
    const message = `upstream unreachable: ${describeError((e as Error).cause ?? e)}`;
    return {
      kind: "failed",
      status: 502,
      body: openAIError(message, "upstream_error", "upstream_unreachable"),
    };
  }
}

/** Abort `controller` when `signal` aborts; returns the function that stops listening. */
function forward(signal: AbortSignal, controller: AbortController): () => void {
  const abort = () => controller.abort();
  signal.addEventListener("abort", abort, { once: true });
  return () => signal.removeEventListener("abort", abort);
}
