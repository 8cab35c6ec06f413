import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeLlmRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body. */
  body: Record<string, unknown>;
}

export interface FakeToolCall {
  id?: string;
  name: string;
  /** An object is sent as JSON; a string is sent as is (to script broken JSON). */
  arguments: Record<string, unknown> | string;
}

export type FakeLlmAnswer =
  | {
      text?: string;
      toolCalls?: FakeToolCall[];
      usage?: { input: number; output: number };
      model?: string;
      /** Answer this late (to trigger client timeouts). */
      delayMs?: number;
    }
  | {
      /** An error answer in the provider's own error shape. */
      error: { status: number; type: string; code?: string; message?: string };
      headers?: Record<string, string>;
    };

export type FakeLlmScript = (request: FakeLlmRequest) => FakeLlmAnswer;

type Reply = Exclude<FakeLlmAnswer, { error: unknown }>;
type FakeError = Extract<FakeLlmAnswer, { error: unknown }>["error"];
interface Protocol {
  path: string;
  json(reply: Reply, model: string): unknown;
  /** SSE events, `[name, data]`; a null name writes a bare `data:` line. */
  events(reply: Reply, model: string, body: Record<string, unknown>): [string | null, unknown][];
  error(error: FakeError): unknown;
}

const defaultScript: FakeLlmScript = () => ({ text: "Hello from the fake." });

/**
 * A local server speaking OpenAI's Chat Completions API at `{url}/chat/completions` (`url`
 * ends in `/v1`, like `https://api.openai.com/v1`), JSON or SSE as the request asks.
 */
export function startFakeOpenAI(script: FakeLlmScript = defaultScript) {
  return startFakeLlm(openAIProtocol, "/v1", script);
}

/** A local server speaking Anthropic's Messages API at `{url}/v1/messages`, JSON or SSE. */
export function startFakeAnthropic(script: FakeLlmScript = defaultScript) {
  return startFakeLlm(anthropicProtocol, "", script);
}

export type FakeLlmServer = Awaited<ReturnType<typeof startFakeLlm>>;

async function startFakeLlm(protocol: Protocol, basePath: string, script: FakeLlmScript) {
  const requests: FakeLlmRequest[] = [];
  const fake = {
    url: "",
    requests,
    script,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const request = {
      method: req.method ?? "GET",
      path: req.url ?? "/",
      headers: req.headers,
      body: text ? JSON.parse(text) : {},
    };
    requests.push(request);
    if (request.method !== "POST" || request.path !== basePath + protocol.path) {
      return sendJson(res, 404, protocol.error({ status: 404, type: "not_found_error" }));
    }
    const answer = fake.script(request);
    if ("error" in answer) {
      return sendJson(res, answer.error.status, protocol.error(answer.error), answer.headers);
    }
    if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
    if (res.destroyed) return;
    const model = answer.model ?? String(request.body.model);
    if (request.body.stream !== true) return sendJson(res, 200, protocol.json(answer, model));
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    for (const [event, data] of protocol.events(answer, model, request.body)) {
      const line = `data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`;
      res.write(event ? `event: ${event}\n${line}` : line);
    }
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${basePath}`;
  return fake;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

let nextId = 1;
const idOf = (call: FakeToolCall, prefix: string) => call.id ?? `${prefix}${nextId++}`;
const argumentsOf = (call: FakeToolCall) =>
  typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments);
const usageOf = (reply: Reply) => reply.usage ?? { input: 10, output: 5 };
/** Text streams word by word, tool arguments in 8-character pieces, as real servers split them. */
const words = (text: string) => text.match(/\s*\S+\s*/g) ?? [];
const pieces = (text: string) => text.match(/[\s\S]{1,8}/g) ?? [];

// https://platform.openai.com/docs/api-reference/chat/object and .../chat-streaming
const openAIProtocol: Protocol = {
  path: "/chat/completions",
  json(reply, model) {
    const toolCalls = (reply.toolCalls ?? []).map((call) => ({
      id: idOf(call, "call_"),
      type: "function",
      function: { name: call.name, arguments: argumentsOf(call) },
    }));
    const { input, output } = usageOf(reply);
    return {
      id: `chatcmpl-${nextId++}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: reply.text ?? null,
            refusal: null,
            ...(toolCalls.length > 0 && { tool_calls: toolCalls }),
          },
          logprobs: null,
          finish_reason: toolCalls.length > 0 ? "tool_calls" : "stop",
        },
      ],
      usage: { prompt_tokens: input, completion_tokens: output, total_tokens: input + output },
    };
  },
  events(reply, model, body) {
    const base = { id: `chatcmpl-${nextId++}`, object: "chat.completion.chunk", created: 0, model };
    const chunk = (delta: unknown, finish: string | null = null): [null, unknown] => [
      null,
      { ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] },
    ];
    const events = [chunk({ role: "assistant", content: "" })];
    for (const word of words(reply.text ?? "")) events.push(chunk({ content: word }));
    (reply.toolCalls ?? []).forEach((call, index) => {
      const start = { index, id: idOf(call, "call_"), type: "function" };
      events.push(
        chunk({ tool_calls: [{ ...start, function: { name: call.name, arguments: "" } }] }),
      );
      for (const part of pieces(argumentsOf(call))) {
        events.push(chunk({ tool_calls: [{ index, function: { arguments: part } }] }));
      }
    });
    events.push(chunk({}, reply.toolCalls?.length ? "tool_calls" : "stop"));
    const { input, output } = usageOf(reply);
    const usage = { prompt_tokens: input, completion_tokens: output, total_tokens: input + output };
    const options = body.stream_options as { include_usage?: boolean } | undefined;
    if (options?.include_usage) events.push([null, { ...base, choices: [], usage }]);
    events.push([null, "[DONE]"]);
    return events;
  },
  error: ({ type, code, message }) => ({
    error: { message: message ?? type, type, param: null, code: code ?? null },
  }),
};

// https://docs.anthropic.com/en/api/messages and .../build-with-claude/streaming
const anthropicProtocol: Protocol = {
  path: "/v1/messages",
  json(reply, model) {
    const { input, output } = usageOf(reply);
    const content = [
      ...(reply.text ? [{ type: "text", text: reply.text }] : []),
      ...(reply.toolCalls ?? []).map((call) => ({
        ...toolUse(call),
        input: typeof call.arguments === "string" ? {} : call.arguments,
      })),
    ];
    return { ...message(reply, model), content, usage: usageBody(input, output) };
  },
  events(reply, model) {
    const { input, output } = usageOf(reply);
    const start = {
      ...message(reply, model),
      stop_reason: null,
      content: [],
      usage: usageBody(input, 1),
    };
    const events: [string, unknown][] = [
      ["message_start", { type: "message_start", message: start }],
      ["ping", { type: "ping" }],
    ];
    const block = (index: number, content_block: unknown, deltas: unknown[]) => {
      events.push(["content_block_start", { type: "content_block_start", index, content_block }]);
      for (const delta of deltas) {
        events.push(["content_block_delta", { type: "content_block_delta", index, delta }]);
      }
      events.push(["content_block_stop", { type: "content_block_stop", index }]);
    };
    const texts = reply.text ? [reply.text] : [];
    texts.forEach((text, index) => {
      block(
        index,
        { type: "text", text: "" },
        words(text).map((word) => ({ type: "text_delta", text: word })),
      );
    });
    (reply.toolCalls ?? []).forEach((call, i) => {
      const deltas = pieces(argumentsOf(call)).map((part) => ({
        type: "input_json_delta",
        partial_json: part,
      }));
      block(texts.length + i, { ...toolUse(call), input: {} }, deltas);
    });
    const delta = { stop_reason: stopReason(reply), stop_sequence: null };
    events.push([
      "message_delta",
      { type: "message_delta", delta, usage: { output_tokens: output } },
    ]);
    events.push(["message_stop", { type: "message_stop" }]);
    return events;
  },
  error: ({ type, message }) => ({ type: "error", error: { type, message: message ?? type } }),
};

function message(reply: Reply, model: string) {
  const stop = { stop_reason: stopReason(reply), stop_sequence: null };
  return { id: `msg_${nextId++}`, type: "message", role: "assistant", model, ...stop };
}

const stopReason = (reply: Reply) => (reply.toolCalls?.length ? "tool_use" : "end_turn");
const toolUse = (call: FakeToolCall) => ({
  type: "tool_use",
  id: idOf(call, "toolu_"),
  name: call.name,
});
const usageBody = (input_tokens: number, output_tokens: number) => ({
  input_tokens,
  output_tokens,
});
