import { Readable } from "node:stream";
import { type EgressFetch, isEgressRefusal } from "../shared/egress/index.ts";
import { describeError } from "../shared/errors.ts";
import { type OpenAIErrorBody, openAIError } from "./openai-error.ts";
import type { ProxyConfig } from "./proxy-config.ts";

/** A streamed answer from its headers on. */
export interface UpstreamStream {
  kind: "stream";
  body: ReadableStream<Uint8Array>;
  /** The body was read to its end: stop watching the client. */
  release: () => void;
  /** Stop the upstream answer (the client went away, or the policy ended the stream). */
  cancel: () => void;
}

export type UpstreamResult =
  /** A whole answer: a completion, or an upstream error of a stream request too. */
  | { kind: "complete"; status: number; contentType: string; text: string }
  | UpstreamStream
  /** No answer at all: Mainstay's own error, in the OpenAI shape. */
  | { kind: "failed"; status: number; body: OpenAIErrorBody };

/**
 * POST the request to `{baseUrl}/chat/completions`. `timeoutMs` bounds a whole answer, or
 * a stream until its headers: a long stream is not cut, only ended by `cancel`.
 * `signal` is the client going away. `bytes` is the body as sent: the client's own bytes
 * when screening changed nothing, so they are not serialised again.
 */
export async function callUpstream(
  config: ProxyConfig,
  body: { stream?: boolean | null | undefined },
  signal: AbortSignal,
  send: EgressFetch = fetch,
  bytes: string | Uint8Array = JSON.stringify(body),
): Promise<UpstreamResult> {
  const { baseUrl, apiKey } = config.upstream;
  const controller = new AbortController();
  let timedOut = false;
  // A timer, not AbortSignal.timeout: an answer in time then costs no abort (each builds
  // a DOMException with its stack), and the timer is gone with the answer.
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, config.timeoutMs);
  const stopWatchingClient = forward(signal, controller);
  const release = () => {
    clearTimeout(timer);
    stopWatchingClient();
  };
  try {
    const response = await post(send, `${baseUrl.replace(/\/+$/, "")}/chat/completions`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: body.stream ? "text/event-stream" : "application/json",
        ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
      },
      body: bytes,
      signal: controller.signal,
    });
    if (body.stream && response.status >= 200 && response.status <= 299) {
      clearTimeout(timer);
      const cancel = () => {
        release();
        controller.abort();
      };
      return { kind: "stream", body: response.stream(), release, cancel };
    }
    const text = await response.text();
    release();
    const contentType = response.contentType ?? "application/json";
    return { kind: "complete", status: response.status, contentType, text };
  } catch (e) {
    release();
    if (timedOut) {
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
    // fetch reports "fetch failed" with the reason (ECONNREFUSED, DNS...) as its cause.
    const message = `upstream unreachable: ${describeError((e as Error).cause ?? e)}`;
    return {
      kind: "failed",
      status: 502,
      body: openAIError(message, "upstream_error", "upstream_unreachable"),
    };
  }
}

/** The upstream's answer, as either way out gives it. */
interface Answer {
  status: number;
  contentType: string | undefined;
  text(): Promise<string>;
  stream(): ReadableStream<Uint8Array>;
}

/**
 * POST through the egress policy: by its `request` when it has one (the server's egress),
 * the cheaper call per request, else by `fetch` itself.
 */
async function post(
  send: EgressFetch,
  url: string,
  init: {
    method: "POST";
    headers: Record<string, string>;
    body: string | Uint8Array;
    signal: AbortSignal;
  },
): Promise<Answer> {
  if (send.request) {
    const { statusCode, headers, body } = await send.request(url, init);
    const type = headers["content-type"];
    return {
      status: statusCode,
      contentType: Array.isArray(type) ? type[0] : type,
      text: () => body.text(),
      stream: () => Readable.toWeb(body) as ReadableStream<Uint8Array>,
    };
  }
  // Fastify's Buffer is a Uint8Array over an ArrayBufferLike, which BodyInit's type refuses.
  const response = await send(url, {
    ...init,
    body: init.body as string | Uint8Array<ArrayBuffer>,
  });
  const empty = () => new ReadableStream<Uint8Array>({ start: (c) => c.close() });
  return {
    status: response.status,
    contentType: response.headers.get("content-type") ?? undefined,
    text: () => response.text(),
    stream: () => response.body ?? empty(),
  };
}

/** Abort `controller` when `signal` aborts; returns the function that stops listening. */
function forward(signal: AbortSignal, controller: AbortController): () => void {
  const abort = () => controller.abort();
  signal.addEventListener("abort", abort, { once: true });
  return () => signal.removeEventListener("abort", abort);
}
