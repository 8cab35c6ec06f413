import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { SpanKind } from "@opentelemetry/api";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import pino from "pino";
import { parseConfigText } from "../../src/config/index.ts";
import { type Mainstay, startMainstay } from "../../src/main.ts";
import { traceExportSettings } from "../../src/monitoring/index.ts";
import { startCallbackServer } from "../support/callback-server.ts";
import { type FakeLlmServer, startFakeOpenAI } from "../support/fake-llm-servers.ts";
import {
  ADMIN_KEY,
  API_SECRET,
  eventually,
  KNOWLEDGE_DIR,
  queueDrained,
  signedWebhook,
  startTestApp,
  type TestApp,
} from "../support/test-app.ts";

const QUESTION = "How long does shipping take to Ottawa?";
const PHONE = "+15557770001";

/** The one finished span named `name`. */
function only(spans: ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((s) => s.name === name);
  assert.equal(found.length, 1, `one span named "${name}", found ${found.length}`);
  return found[0]!;
}

function assertChild(child: ReadableSpan, parent: ReadableSpan) {
  assert.equal(child.spanContext().traceId, parent.spanContext().traceId, `${child.name} trace`);
  assert.equal(
    child.parentSpanContext?.spanId,
    parent.spanContext().spanId,
    `${child.name} is a child of ${parent.name}`,
  );
}

/** Every attribute value of every span, as one string to search. */
const allAttributes = (spans: ReadableSpan[]) => JSON.stringify(spans.map((s) => s.attributes));

describe("traces through the queued intake", () => {
  const exporter = new InMemorySpanExporter();
  let app: TestApp;
  after(() => app?.dispose());

  it("is one trace: intake, the inbound.store job, the process job, the delivery", async () => {
    app = await startTestApp({ traceExporter: exporter, extraYaml: "intake: { mode: queued }" });
    const res = await app.app.inject(signedWebhook({ id: "tq-1", from: PHONE, text: QUESTION }));
    assert.equal(res.json().queued, true);
    await queueDrained(app.store);
    const spans = exporter.getFinishedSpans();
    const intake = only(spans, "intake api");
    assert.equal(intake.attributes["mainstay.messages.accepted"], 1);
    const store = only(spans, "process inbound.store");
    assertChild(store, intake);
    const process = only(spans, "process conversation.process");
    assertChild(process, store);
    assertChild(only(spans, "process message.deliver"), process);
    assert.equal(new Set(spans.map((s) => s.spanContext().traceId)).size, 1);
  });
});

describe("traces of one message through the pipeline (built-in agent)", () => {
  const exporter = new InMemorySpanExporter();
  let app: TestApp;
  let callback: Awaited<ReturnType<typeof startCallbackServer>>;
  let spans: ReadableSpan[];
  let conversationId: string;

  before(async () => {
    callback = await startCallbackServer();
    app = await startTestApp({ callbackUrl: callback.url, traceExporter: exporter });
    const res = await app.app.inject(signedWebhook({ id: "t-1", from: PHONE, text: QUESTION }));
    conversationId = res.json().conversationId;
    await eventually(async () => (callback.received.length > 0 ? true : undefined), "the send");
    await queueDrained(app.store);
    spans = exporter.getFinishedSpans();
  });
  after(async () => {
    await app?.dispose();
    await callback?.close();
  });

  it("is one trace: intake, then the process job, then the delivery job", () => {
    const intake = only(spans, "intake api");
    assert.equal(intake.kind, SpanKind.SERVER);
    assert.equal(intake.parentSpanContext, undefined);
    assert.equal(intake.attributes["mainstay.messages.accepted"], 1);
    assert.equal(intake.attributes["gen_ai.conversation.id"], conversationId);
    const process = only(spans, "process conversation.process");
    assert.equal(process.kind, SpanKind.CONSUMER);
    assertChild(process, intake);
    assert.equal(process.attributes["mainstay.job.outcome"], "done");
    assert.equal(process.attributes["gen_ai.conversation.id"], conversationId);
    const deliver = only(spans, "process message.deliver");
    assertChild(deliver, process);
    const send = only(spans, "send api");
    assert.equal(send.kind, SpanKind.CLIENT);
    assertChild(send, deliver);
    assert.equal(send.attributes["mainstay.delivery.outcome"], "sent");
    assert.equal(new Set(spans.map((s) => s.spanContext().traceId)).size, 1);
  });

  it("has an invoke_agent span per turn with the GenAI attributes", () => {
    const agent = only(spans, "invoke_agent support");
    assertChild(agent, only(spans, "process conversation.process"));
    assert.equal(agent.attributes["gen_ai.operation.name"], "invoke_agent");
    assert.equal(agent.attributes["gen_ai.agent.name"], "support");
    assert.equal(agent.attributes["gen_ai.agent.id"], "support");
    assert.equal(agent.attributes["gen_ai.agent.version"], "1");
    assert.equal(agent.attributes["gen_ai.conversation.id"], conversationId);
  });

  it("has guardrail spans on both sides with the action and no text", () => {
    const inbound = only(spans, "guardrails inbound");
    assertChild(inbound, only(spans, "intake api"));
    assert.equal(inbound.attributes["mainstay.guardrails.action"], "allow");
    assert.equal(inbound.attributes["mainstay.channel.type"], "generic");
    const outbound = only(spans, "guardrails outbound");
    assertChild(outbound, only(spans, "process conversation.process"));
  });

  it("carries no message text and no address anywhere by default", () => {
    const attributes = allAttributes(spans);
    const reply = JSON.parse(callback.received[0]!.body).text as string;
    for (const secret of [QUESTION, "Ottawa", PHONE, reply]) {
      assert.ok(!attributes.includes(secret), `a span carries "${secret}"`);
    }
  });
});

const agentYaml = (llmUrl: string) => `
id: support
provider: { type: openai-compatible, model: gpt-test, baseUrl: ${llmUrl}, apiKeySecret: test-llm }
systemPrompt: You are Nora.
knowledgeDir: ${JSON.stringify(KNOWLEDGE_DIR)}
tools:
  - { type: builtin, name: search_knowledge_base }
limits: { maxToolRounds: 2, timeoutMs: 2000 }
`;

/** An LLM agent that looks something up once, then answers; spans go to `exporter`. */
async function startLlmApp(
  dir: string,
  llmUrl: string,
  exporter: InMemorySpanExporter,
  extra = "",
) {
  writeFileSync(join(dir, "agent.yaml"), agentYaml(llmUrl));
  const yaml = `
server: { port: 0, egress: { allow: ["127.0.0.0/8", "::1", localhost] } }
storage: { dataDir: ${JSON.stringify(dir)} }
agent: { type: document, file: ./agent.yaml }
channels: [{ id: api, type: generic, secret: ${API_SECRET} }]
outbox: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, pollIntervalMs: 20 }
secrets: { test-llm: sk-test }
${extra}`;
  return startMainstay(parseConfigText(yaml, join(dir, "mainstay.yaml")), {
    env: { MAINSTAY_ADMIN_KEY: ADMIN_KEY },
    logger: pino({ level: "silent" }),
    traceExporter: exporter,
  });
}

describe("traces of an LLM agent's turn: chat and execute_tool spans", () => {
  const dir = mkdtempSync(join(tmpdir(), "mainstay-trace-"));
  const contentDir = mkdtempSync(join(tmpdir(), "mainstay-trace-content-"));
  const exporter = new InMemorySpanExporter();
  const contentExporter = new InMemorySpanExporter();
  let llm: FakeLlmServer;
  let app: Mainstay;
  let contentApp: Mainstay;

  before(async () => {
    llm = await startFakeOpenAI((request) => {
      const messages = request.body["messages"] as { role: string }[];
      if (messages.some((m) => m.role === "tool")) {
        return { text: "Three to five business days.", usage: { input: 120, output: 12 } };
      }
      const search = {
        id: "call_1",
        name: "search_knowledge_base",
        arguments: { query: "shipping" },
      };
      return { toolCalls: [search], usage: { input: 80, output: 9 } };
    });
    app = await startLlmApp(dir, llm.url, exporter);
    contentApp = await startLlmApp(
      contentDir,
      llm.url,
      contentExporter,
      "telemetry: { traces: { captureContent: true } }",
    );
    for (const server of [app, contentApp]) {
      await server.app.inject(signedWebhook({ id: "llm-1", from: PHONE, text: QUESTION }));
      await queueDrained(server.store);
    }
  });
  after(async () => {
    await app?.close();
    await contentApp?.close();
    await llm?.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(contentDir, { recursive: true, force: true });
  });

  it("has a chat span per model call, children of invoke_agent, with model and usage", () => {
    const spans = exporter.getFinishedSpans();
    const agent = only(spans, "invoke_agent support");
    const chats = spans.filter((s) => s.name === "chat gpt-test");
    assert.equal(chats.length, 2);
    for (const chat of chats) {
      assertChild(chat, agent);
      assert.equal(chat.kind, SpanKind.CLIENT);
      assert.equal(chat.attributes["gen_ai.operation.name"], "chat");
      assert.equal(chat.attributes["gen_ai.provider.name"], "openai");
      assert.equal(chat.attributes["gen_ai.request.model"], "gpt-test");
      assert.equal(chat.attributes["gen_ai.response.model"], "gpt-test");
    }
    assert.deepEqual(
      chats.map((c) => [
        c.attributes["gen_ai.usage.input_tokens"],
        c.attributes["gen_ai.usage.output_tokens"],
      ]),
      [
        [80, 9],
        [120, 12],
      ],
    );
    assert.deepEqual(chats[0]!.attributes["gen_ai.response.finish_reasons"], ["tool_calls"]);
    assert.equal(agent.attributes["gen_ai.usage.input_tokens"], 200);
  });

  it("has an execute_tool span for the lookup, child of invoke_agent", () => {
    const spans = exporter.getFinishedSpans();
    const tool = only(spans, "execute_tool search_knowledge_base");
    assertChild(tool, only(spans, "invoke_agent support"));
    assert.equal(tool.attributes["gen_ai.operation.name"], "execute_tool");
    assert.equal(tool.attributes["gen_ai.tool.name"], "search_knowledge_base");
    assert.equal(tool.attributes["gen_ai.tool.call.arguments"], undefined);
  });

  it("keeps prompts, answers and tool arguments off the spans by default", () => {
    const attributes = allAttributes(exporter.getFinishedSpans());
    for (const secret of [QUESTION, "You are Nora", "Three to five", '"shipping"']) {
      assert.ok(!attributes.includes(secret), `a span carries ${secret}`);
    }
    assert.ok(!attributes.includes("gen_ai.input.messages"));
  });

  it("puts them on with telemetry.traces.captureContent", () => {
    const spans = contentExporter.getFinishedSpans();
    const [first, second] = spans.filter((s) => s.name === "chat gpt-test");
    assert.deepEqual(JSON.parse(String(first!.attributes["gen_ai.system_instructions"])), [
      { type: "text", content: "You are Nora." },
    ]);
    const input = JSON.parse(String(first!.attributes["gen_ai.input.messages"]));
    assert.deepEqual(input.at(-1), { role: "user", parts: [{ type: "text", content: QUESTION }] });
    const output = JSON.parse(String(first!.attributes["gen_ai.output.messages"]));
    assert.equal(output[0].parts[0].type, "tool_call");
    assert.equal(output[0].parts[0].name, "search_knowledge_base");
    const answer = JSON.parse(String(second!.attributes["gen_ai.output.messages"]));
    assert.equal(answer[0].parts[0].content, "Three to five business days.");
    const tool = only(spans, "execute_tool search_knowledge_base");
    assert.equal(tool.attributes["gen_ai.tool.call.arguments"], '{"query":"shipping"}');
    assert.equal(
      only(spans, "guardrails inbound").attributes["mainstay.guardrails.text"],
      QUESTION,
    );
  });
});

interface OtlpRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: {
    resourceSpans: {
      resource: { attributes: { key: string; value: { stringValue?: string } }[] };
      scopeSpans: { spans: { name: string; traceId: string }[] }[];
    }[];
  };
}

describe("export over OTLP/HTTP to a collector, from the OTEL_* variables", () => {
  const received: OtlpRequest[] = [];
  const collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      received.push({ path: req.url ?? "", headers: req.headers, body });
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
  });

  before(async () => {
    await new Promise<void>((r) => collector.listen(0, "127.0.0.1", r));
    const { port } = collector.address() as AddressInfo;
    const app = await startTestApp({
      env: {
        MAINSTAY_ADMIN_KEY: ADMIN_KEY,
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        OTEL_EXPORTER_OTLP_HEADERS: "authorization=Bearer%20collector-token",
        OTEL_SERVICE_NAME: "mainstay-test",
        OTEL_RESOURCE_ATTRIBUTES: "deployment.environment.name=ci",
      },
    });
    try {
      await app.app.inject(signedWebhook({ id: "otlp-1", from: PHONE, text: QUESTION }));
      await queueDrained(app.store);
    } finally {
      // Closing flushes the batch of spans still waiting.
      await app.dispose();
    }
  });
  after(async () => {
    collector.closeAllConnections();
    await new Promise((r) => collector.close(r));
  });

  it("posts the spans as OTLP JSON to /v1/traces with the configured headers and resource", () => {
    assert.ok(received.length > 0, "the collector received an export");
    const request = received[0]!;
    assert.equal(request.path, "/v1/traces");
    assert.match(String(request.headers["content-type"]), /^application\/json/);
    assert.equal(request.headers.authorization, "Bearer collector-token");
    const resource = Object.fromEntries(
      request.body.resourceSpans[0]!.resource.attributes.map((a) => [a.key, a.value.stringValue]),
    );
    assert.equal(resource["service.name"], "mainstay-test");
    assert.equal(resource["deployment.environment.name"], "ci");
    const spans = received.flatMap((r) =>
      r.body.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)),
    );
    const names = spans.map((s) => s.name);
    for (const name of ["intake api", "process conversation.process", "invoke_agent support"]) {
      assert.ok(names.includes(name), `exported ${name}`);
    }
    assert.equal(new Set(spans.map((s) => s.traceId)).size, 1);
  });
});

describe("which OTEL_* variables turn tracing on", () => {
  it("is off without an endpoint or exporter, and with none or the SDK disabled", () => {
    assert.equal(traceExportSettings({}), undefined);
    assert.equal(traceExportSettings({ OTEL_TRACES_EXPORTER: "none" }), undefined);
    const endpoint = "http://collector:4318";
    assert.equal(
      traceExportSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SDK_DISABLED: "true" }),
      undefined,
    );
    assert.equal(traceExportSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "" }), undefined);
  });

  it("appends /v1/traces to the base endpoint; a traces endpoint is used as it is", () => {
    const base = traceExportSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" });
    assert.equal(base?.url, "http://collector:4318/v1/traces");
    assert.deepEqual(base?.exporters, ["otlp"]);
    const traces = traceExportSettings({
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318",
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://traces.example.com/ingest",
    });
    assert.equal(traces?.url, "https://traces.example.com/ingest");
    const local = traceExportSettings({ OTEL_TRACES_EXPORTER: "otlp,console" });
    assert.equal(local?.url, "http://localhost:4318/v1/traces");
    assert.deepEqual(local?.exporters, ["otlp", "console"]);
  });

  it("reads headers, service name, resource attributes and the sampler", () => {
    const settings = traceExportSettings({
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318",
      OTEL_EXPORTER_OTLP_HEADERS: "x-team=support,api-key=a%3Db",
      OTEL_SERVICE_NAME: "mainstay-eu",
      OTEL_RESOURCE_ATTRIBUTES: "service.namespace=cx",
      OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
      OTEL_TRACES_SAMPLER_ARG: "0.1",
    });
    assert.deepEqual(settings?.headers, { "x-team": "support", "api-key": "a=b" });
    assert.equal(settings?.serviceName, "mainstay-eu");
    assert.deepEqual(settings?.resourceAttributes, { "service.namespace": "cx" });
    assert.equal(settings?.sampler, "parentbased_traceidratio");
    assert.equal(settings?.samplerArg, 0.1);
  });

  it("refuses what it cannot do with MS_CONFIG_INVALID", () => {
    for (const env of [
      { OTEL_TRACES_EXPORTER: "zipkin" },
      { OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" },
      { OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_TRACES_SAMPLER: "sometimes" },
      { OTEL_EXPORTER_OTLP_ENDPOINT: "not a url" },
    ]) {
      assert.throws(
        () => traceExportSettings(env),
        { code: "MS_CONFIG_INVALID" },
        JSON.stringify(env),
      );
    }
  });
});
