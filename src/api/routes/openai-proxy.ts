import { Readable } from "node:stream";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { readServerSentEvents } from "../../agents/providers/index.ts";
import type { ConversationService } from "../../conversations/index.ts";
import { describeIssues, type Guard } from "../../guardrails/index.ts";
import {
  type ChatCompletion,
  type ChatRequest,
  callerAddress,
  callUpstream,
  chatRequestSchema,
  type Exchange,
  type OpenAIErrorBody,
  openAIError,
  PROXY_CHANNEL_TYPE,
  type ProxyConfig,
  policyViolation,
  recordExchange,
  StreamScreen,
  screenCompletion,
  screenRequest,
} from "../../proxy/index.ts";
import { bearerToken } from "../../shared/bearer-token.ts";
import type { Clock } from "../../shared/clock.ts";
import type { EgressFetch } from "../../shared/egress/index.ts";
import { isMainstayError, type MainstayError } from "../../shared/errors.ts";
import { safeEqual } from "../../shared/hmac.ts";

export interface OpenAIProxyOptions {
  guard: Guard;
  service: ConversationService;
  config: ProxyConfig;
  adminKey: string;
  clock: Clock;
  /** The server's egress `fetch` for the upstream call; default global fetch. */
  fetch?: EgressFetch;
}

/** What one request needs besides its body: who called, when, and how to record it. */
interface Turn {
  request: FastifyRequest;
  reply: FastifyReply;
  record: (result: Pick<Exchange, "outbound" | "error">) => Promise<void>;
  screenOutbound: (text: string) => ReturnType<Guard["check"]>;
}

/**
 * `POST /v1/chat/completions`, OpenAI's wire format, so an application's OpenAI client
 * works pointed at Mainstay: the inbound policy on the last user message, the upstream
 * call, the outbound policy on the answer (sentence by sentence when streaming), and the
 * exchange recorded as a conversation. Every error leaves in OpenAI's error shape.
 */
export async function openaiProxyRoutes(
  app: FastifyInstance,
  opts: OpenAIProxyOptions,
): Promise<void> {
  const { guard, service, config, clock } = opts;
  const channel = { id: config.channelId, type: PROXY_CHANNEL_TYPE };
  app.setErrorHandler((error: FastifyError | MainstayError, request, reply) => {
    const status = isMainstayError(error) ? error.status : (error.statusCode ?? 500);
    if (status >= 500) {
      request.log.error({ err: error }, "proxy request failed");
      return reply
        .code(500)
        .send(openAIError("internal error; see the Mainstay log", "server_error", null));
    }
    return reply
      .code(status)
      .send(
        openAIError(
          error.message,
          "invalid_request_error",
          isMainstayError(error) ? error.code : null,
        ),
      );
  });
  app.addHook("onRequest", async (request, reply) => {
    const token = bearerToken(request.headers.authorization);
    if (token === undefined || !safeEqual(token, opts.adminKey)) {
      const message =
        token === undefined
          ? "malformed Authorization header; send `Authorization: Bearer <Mainstay API key>` (one space, nothing after the key)"
          : "invalid API key: use a Mainstay API key as the OpenAI API key";
      return reply.code(401).send(openAIError(message, "invalid_request_error", "invalid_api_key"));
    }
  });

  app.post("/v1/chat/completions", async (request, reply) => {
    const receivedAt = clock.now();
    const parsed = chatRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      return reply
        .code(400)
        .send(openAIError(describeIssues(parsed.error), "invalid_request_error", null));
    }
    const body = parsed.data;
    if ((body.n ?? 1) > 1) {
      const message = "n > 1 is not supported by the Mainstay proxy";
      return reply
        .code(400)
        .send(openAIError(message, "invalid_request_error", "unsupported_parameter"));
    }
    const screened = screenRequest(body, guard.check);
    const caller = callerAddress(body, bearerToken(request.headers.authorization)!);
    const turn: Turn = {
      request,
      reply,
      screenOutbound: (text) =>
        guard.check({ direction: "outbound", channel: PROXY_CHANNEL_TYPE, text }),
      record: async (result) => {
        try {
          const exchange = { caller, receivedAt, inbound: screened.inbound, ...result };
          await recordExchange(service, channel, exchange, clock);
        } catch (err) {
          // The client still gets its answer; the gap in the record is in the log.
          request.log.error({ err, caller }, "proxy exchange not recorded");
        }
      },
    };
    if (screened.kind === "refused") {
      const refusal = policyViolation(screened.inbound);
      await turn.record({ error: { status: 400, ...errorFields(refusal) } });
      return reply.code(400).send(refusal);
    }
    return forward(turn, screened.body, opts);
  });
}

async function forward(
  turn: Turn,
  body: ChatRequest,
  opts: Pick<OpenAIProxyOptions, "config" | "clock" | "fetch">,
) {
  const { reply, record } = turn;
  const { config, clock } = opts;
  const started = clock.now();
  const upstream = await callUpstream(config, body, clientGone(reply), opts.fetch);
  if (upstream.kind === "failed") {
    await record({ error: { status: upstream.status, ...errorFields(upstream.body) } });
    return reply.code(upstream.status).send(upstream.body);
  }
  if (upstream.kind === "stream") return relayStream(turn, upstream, started, clock);
  // Upstream errors pass through as they are: the client's SDK knows them.
  if (upstream.status < 200 || upstream.status > 299) {
    const error = parseJson<Partial<OpenAIErrorBody>>(upstream.text)?.error;
    await record({
      error: {
        status: upstream.status,
        code: error?.code ?? null,
        message: error?.message ?? upstream.text.slice(0, 500),
      },
    });
    return reply.code(upstream.status).type(upstream.contentType).send(upstream.text);
  }
  const completion = parseJson<ChatCompletion>(upstream.text);
  if (!completion) {
    const failure = openAIError(
      "upstream answered with invalid JSON",
      "upstream_error",
      "upstream_invalid_response",
    );
    await record({ error: { status: 502, ...errorFields(failure) } });
    return reply.code(502).send(failure);
  }
  const screened = screenCompletion(completion, turn.screenOutbound);
  const choice = screened.completion.choices?.[0];
  await record({
    outbound: {
      text: typeof choice?.message?.content === "string" ? choice.message.content : "",
      model: completion.model,
      usage: completion.usage,
      finishReason: choice?.finish_reason ?? undefined,
      latencyMs: clock.now() - started,
      screening: screened.screening,
    },
  });
  return reply.send(screened.completion);
}

function relayStream(
  turn: Turn,
  upstream: { body: ReadableStream<Uint8Array>; close: () => void },
  started: number,
  clock: Clock,
) {
  const { request, reply, record } = turn;
  const screen = new StreamScreen(turn.screenOutbound);
  async function* frames() {
    try {
      for await (const { data } of readServerSentEvents(upstream.body)) {
        yield* screen.accept(data);
        if (screen.finished) return;
      }
      yield* screen.end();
    } catch (err) {
      request.log.warn({ err }, "upstream stream failed");
      yield screen.stop(
        openAIError("upstream stream failed", "upstream_error", "upstream_stream_failed"),
      );
    } finally {
      upstream.close();
      const { error, ...answer } = screen.outcome();
      await record({
        outbound: { ...answer, latencyMs: clock.now() - started },
        ...(error ? { error: { code: error.code, message: error.message } } : {}),
      });
    }
  }
  return reply
    .header("content-type", "text/event-stream; charset=utf-8")
    .header("cache-control", "no-cache")
    .send(Readable.from(frames()));
}

/** Aborts when the client disconnects before its answer was written. */
function clientGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once("close", () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}

const errorFields = (body: OpenAIErrorBody) => ({
  code: body.error.code,
  message: body.error.message,
});

function parseJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
