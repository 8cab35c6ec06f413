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
  exchangeRecord,
  type OpenAIErrorBody,
  openAIError,
  PROXY_CHANNEL_TYPE,
  type ProxyConfig,
  ProxyRecordOutbox,
  policyViolation,
  relayStream,
  StreamScreen,
  screenCompletion,
  screenRequest,
  type UpstreamStream,
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
  /**
   * Where exchanges wait to be recorded (`PROXY_RECORD_JOB`); default one of its own over
   * `service`. A caller that passes one can wait for it (`idle()`).
   */
  records?: ProxyRecordOutbox;
}

/** What one request needs besides its body: who called, when, and how to record it. */
interface Turn {
  request: FastifyRequest;
  reply: FastifyReply;
  /** Record the exchange once the response has closed, off the response path. */
  record: (result: Pick<Exchange, "outbound" | "error">) => void;
  screenOutbound: (text: string) => ReturnType<Guard["check"]>;
}

/** The body as parsed, and as it arrived, to forward unchanged when screening changed nothing. */
interface ReceivedBody {
  json: unknown;
  bytes: Buffer;
}

/**
 * `POST /v1/chat/completions`, OpenAI's wire format, so an application's OpenAI client
 * works pointed at Mainstay: the inbound policy on the last user message, the upstream
 * call, the outbound policy on the answer (sentence by sentence when streaming), and the
 * exchange recorded as a conversation after the answer is sent (a durable job). Every error
 * leaves in OpenAI's error shape.
 */
export async function openaiProxyRoutes(
  app: FastifyInstance,
  opts: OpenAIProxyOptions,
): Promise<void> {
  const { guard, service, config, clock } = opts;
  const records =
    opts.records ??
    new ProxyRecordOutbox({
      service,
      clock,
      // The clients had their answers; the gap in the record is in the log.
      onLost: (err, exchanges) =>
        app.log.error({ err, exchanges: exchanges.length }, "proxy exchange not recorded"),
    });
  app.addHook("onClose", () => records.idle());
  // Fastify's own JSON parser (prototype-poisoning checks included), keeping the bytes.
  const defaultJsonParser = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (request, bytes, done) =>
    defaultJsonParser(request, bytes.toString(), (err, json) =>
      err ? done(err, undefined) : done(null, { json, bytes }),
    ),
  );
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
    const received = request.body as ReceivedBody | undefined;
    const parsed = chatRequestSchema.safeParse(received?.json);
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
      record: (result) => {
        const exchange = {
          caller,
          receivedAt,
          answeredAt: clock.now(),
          inbound: screened.inbound,
          ...result,
        };
        records.recordAfter(reply.raw, () => exchangeRecord(config.channelId, exchange));
      },
    };
    if (screened.kind === "refused") {
      const refusal = policyViolation(screened.inbound);
      turn.record({ error: { status: 400, ...errorFields(refusal) } });
      return reply.code(400).send(refusal);
    }
    // The client's bytes go upstream unless the policy rewrote a message. Only the
    // application holding the Mainstay key shapes the JSON (its users write strings in
    // it), so a body read differently upstream (duplicate keys) is no way around the policy.
    const bytes = screened.changed ? JSON.stringify(screened.body) : received!.bytes;
    return forward(turn, screened.body, bytes, opts);
  });
}

async function forward(
  turn: Turn,
  body: ChatRequest,
  bytes: string | Uint8Array,
  opts: Pick<OpenAIProxyOptions, "config" | "clock" | "fetch">,
) {
  const { reply, record } = turn;
  const { config, clock } = opts;
  const started = clock.now();
  const upstream = await callUpstream(config, body, clientGone(reply), opts.fetch, bytes);
  if (upstream.kind === "failed") {
    record({ error: { status: upstream.status, ...errorFields(upstream.body) } });
    return reply.code(upstream.status).send(upstream.body);
  }
  if (upstream.kind === "stream") return relay(turn, upstream, started, clock);
  // Upstream errors pass through as they are: the client's SDK knows them.
  if (upstream.status < 200 || upstream.status > 299) {
    const error = parseJson<Partial<OpenAIErrorBody>>(upstream.text)?.error;
    record({
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
    record({ error: { status: 502, ...errorFields(failure) } });
    return reply.code(502).send(failure);
  }
  const screened = screenCompletion(completion, turn.screenOutbound);
  const choice = screened.completion.choices?.[0];
  record({
    outbound: {
      text: typeof choice?.message?.content === "string" ? choice.message.content : "",
      model: completion.model,
      usage: completion.usage,
      finishReason: choice?.finish_reason ?? undefined,
      latencyMs: clock.now() - started,
      screening: screened.screening,
    },
  });
  // Unchanged by the policy: the upstream's own bytes, not a second serialisation.
  if (!screened.changed) return reply.type(upstream.contentType).send(upstream.text);
  return reply.send(screened.completion);
}

function relay(turn: Turn, upstream: UpstreamStream, started: number, clock: Clock) {
  const { request, reply, record } = turn;
  const events = readServerSentEvents(upstream.body);
  const frames = relayStream(upstream, events, new StreamScreen(turn.screenOutbound), {
    onUpstreamError: (err) => request.log.warn({ err }, "upstream stream failed"),
    onEnd: ({ error, ...answer }) =>
      record({
        outbound: { ...answer, latencyMs: clock.now() - started },
        ...(error ? { error: { code: error.code, message: error.message } } : {}),
      }),
  });
  return reply
    .header("content-type", "text/event-stream; charset=utf-8")
    .header("cache-control", "no-cache")
    .send(Readable.from(frames));
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
