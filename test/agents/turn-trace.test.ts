import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pino from "pino";
import { HANDOFF_REASONS, toHandoffReason } from "../../src/agents/handoff/handoff-reasons.ts";
import {
  type BuildAgentDeps,
  buildAgent,
  parseAgentDocument,
  type TracedStep,
  turnTracer,
} from "../../src/agents/index.ts";
import { handoffTool } from "../../src/agents/tools/index.ts";
import { askAgent } from "../../src/agents/turn/ask-agent.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { seededRandom } from "../../src/shared/random.ts";
import type { Conversation, Message } from "../../src/store/index.ts";
import { backends, openBackendStore } from "../support/backends.ts";
import { type FakeLlmServer, startFakeOpenAI } from "../support/fake-llm-servers.ts";
import {
  auth,
  queueDrained,
  signedWebhook,
  startTestApp,
  type TestApp,
} from "../support/test-app.ts";

const clock = new ManualClock(1_700_000_000_000);
const deps: BuildAgentDeps = {
  secrets: { key: "sk-test" },
  clock,
  random: seededRandom(1),
  baseDir: ".",
  lookupContact: async () => ({ displayName: "Ana Lima", identities: [{ channelType: "sms" }] }),
  logger: pino({ level: "silent" }),
};

const kinds = (steps: TracedStep[]) =>
  steps.map((s) => (s.kind === "provider" ? `provider:${s.outcome}` : s.kind));

describe("turn trace: what an agent turn did, step by step", () => {
  let llm: FakeLlmServer;
  let calls = 0;
  before(async () => {
    // First attempt fails (retried), then a tool call, then the answer.
    llm = await startFakeOpenAI(() => {
      calls++;
      if (calls === 1) return { error: { status: 503, type: "server_error" } };
      if (calls === 2) return { toolCalls: [{ name: "lookup_contact", arguments: {} }] };
      return { text: "Hi Ana, your order ships today.", usage: { input: 40, output: 9 } };
    });
  });
  after(() => llm?.close());

  it("records the prompt with its variables, each provider attempt and each tool call", async () => {
    const document = parseAgentDocument(
      `
id: support
provider: { type: openai-compatible, model: m-1, baseUrl: ${llm.url}, apiKeySecret: key, retry: { maxAttempts: 2, baseDelayMs: 0 } }
systemPrompt: "You help {{company}} customers."
variables: { company: Northwind }
tools: [{ type: builtin, name: lookup_contact }]
`,
      "agent.yaml",
    );
    const agent = buildAgent(document, "v_1", deps);
    const trace = turnTracer(() => clock.now());
    const reply = await agent.respond({
      conversationId: "c",
      contactId: "k",
      channel: "sms",
      history: [{ role: "customer", text: "Hello" }],
      text: "Where is my order?",
      trace,
    });
    assert.equal(reply.text, "Hi Ana, your order ships today.");
    assert.deepEqual(kinds(trace.steps), [
      "prompt",
      "provider:error",
      "provider:ok",
      "tool",
      "provider:ok",
    ]);
    const [prompt, failed, , tool, answered] = trace.steps;
    assert.ok(prompt?.kind === "prompt");
    assert.equal(prompt.system, "You help Northwind customers.");
    assert.deepEqual(prompt.variables, { company: "Northwind" });
    assert.equal(prompt.history, 1);
    assert.deepEqual(prompt.tools, ["lookup_contact"]);
    assert.ok(failed?.kind === "provider" && failed.model === "m-1" && failed.error);
    assert.ok(tool?.kind === "tool");
    assert.equal(tool.name, "lookup_contact");
    assert.equal(tool.status, "ok");
    assert.match(tool.result, /Ana Lima/);
    assert.ok(answered?.kind === "provider");
    assert.deepEqual(answered.tokens, { input: 40, output: 9 });
  });

  it("records what the built-in agent retrieved, and why it handed off", async () => {
    const document = parseAgentDocument(
      `
id: faq
provider: { type: builtin }
knowledgeDir: examples/knowledge
handoff: { onLowConfidence: 0.99 }
systemPrompt: unused
`,
      "agent.yaml",
    );
    const agent = buildAgent(document, "v_1", { ...deps, baseDir: process.cwd() });
    const trace = turnTracer(() => clock.now());
    const reply = await agent.respond({
      conversationId: "c",
      contactId: "k",
      channel: "webchat",
      history: [],
      text: "How long does shipping take?",
      trace,
    });
    assert.equal(reply.handoff?.reason, "low_confidence");
    assert.deepEqual(kinds(trace.steps), ["knowledge", "handoff"]);
    const [knowledge, handoff] = trace.steps;
    assert.ok(knowledge?.kind === "knowledge" && knowledge.entries.length > 0);
    assert.ok(knowledge.entries.length <= 3);
    assert.equal(knowledge.query, "How long does shipping take?");
    assert.ok(handoff?.kind === "handoff" && handoff.reason === "low_confidence");
  });

  it("redacts what tools were given and returned with the policy's redact rules", async () => {
    const email = "ana.lima@example.com";
    const agent = {
      id: "a",
      version: "v_1",
      async respond(context: { trace?: { step(s: unknown): void } }) {
        context.trace?.step({
          kind: "tool",
          name: "find_order",
          arguments: JSON.stringify({ email }),
          result: `order 42 for ${email}`,
          status: "ok",
          ms: 3,
        });
        return { text: "Found it." };
      },
    };
    const redact = (text: string) => text.replaceAll(email, "[EMAIL]");
    const conversation = { id: "c", contactId: "k", channelType: "webchat" } as Conversation;
    const inbound = { id: "m", text: "Where is my order?", direction: "inbound" } as Message;
    const decision = await askAgent(
      agent as never,
      { conversation, messageId: "m", lines: [inbound], inbound, history: [inbound], turns: [] },
      { clock, redact },
    );
    const [step] = decision.trace ?? [];
    assert.ok(step?.kind === "tool");
    assert.equal(step.arguments, '{"email":"[EMAIL]"}');
    assert.equal(step.result, "order 42 for [EMAIL]");
  });
});

describe("handoff reasons: a fixed set an agent's words map to", () => {
  it("maps a reason's name and common wordings", () => {
    const cases: [string, string][] = [
      ["customer_request", "customer_request"],
      ["Customer Request", "customer_request"],
      ["low-confidence", "low_confidence"],
      ["The customer asked for a human", "customer_request"],
      ["refund policy needs a person to approve", "policy"],
      ["customer is very angry", "sentiment"],
      ["the order lookup tool failed", "tool"],
      ["I do not know the answer", "low_confidence"],
    ];
    for (const [text, reason] of cases) assert.equal(toHandoffReason(text), reason, text);
    for (const reason of HANDOFF_REASONS) assert.equal(toHandoffReason(reason), reason);
  });

  it("handoff_to_human gives a fixed reason and keeps the model's words as the detail", async () => {
    const tool = handoffTool();
    const ctx = { conversationId: "c", contactId: "k" };
    assert.deepEqual((await tool.run({ reason: "customer is furious" }, ctx)).handoff, {
      reason: "sentiment",
      detail: "customer is furious",
    });
    assert.deepEqual((await tool.run({ reason: "policy" }, ctx)).handoff, { reason: "policy" });
    assert.deepEqual((await tool.run({ reason: "tool", detail: "orders API 500" }, ctx)).handoff, {
      reason: "tool",
      detail: "orders API 500",
    });
  });
});

describe("turn traces through the API", () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app?.dispose());

  it("GET /api/v1/conversations/:id/traces shows each turn's steps, newest first", async () => {
    const res = await app.app.inject(
      signedWebhook({ id: "trace-1", from: "+15550177", text: "How long does shipping take?" }),
    );
    const id = res.json().conversationId as string;
    await queueDrained(app.store);
    const traces = await app.app.inject({
      url: `/api/v1/conversations/${id}/traces`,
      headers: auth,
    });
    assert.equal(traces.statusCode, 200);
    const [trace] = traces.json().data;
    assert.ok(trace.replyId, "the trace names the reply it led to");
    assert.equal(trace.steps[0].kind, "knowledge");
    assert.equal(trace.steps[0].query, "How long does shipping take?");
    const missing = await app.app.inject({
      url: "/api/v1/conversations/conv_nope/traces",
      headers: auth,
    });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, "MS_NOT_FOUND");
  });
});

describe("turn traces repository", () => {
  for (const backend of backends) {
    it(`stores and lists a conversation's traces newest first: ${backend.name}`, async () => {
      const { store, close } = await openBackendStore(backend, 1000);
      try {
        const trace = (turnId: string, createdAt: number) => ({
          turnId,
          conversationId: "conv_1",
          messageId: "msg_1",
          replyId: turnId === "turn_b" ? null : "msg_2",
          steps: [{ kind: "handoff", reason: "policy", at: 3 }],
          createdAt,
        });
        await store.turnTraces.insert(trace("turn_a", 1000));
        await store.turnTraces.insert(trace("turn_b", 2000));
        const listed = await store.turnTraces.forConversation("conv_1");
        assert.deepEqual(listed, [trace("turn_b", 2000), trace("turn_a", 1000)]);
        assert.deepEqual(await store.turnTraces.forConversation("conv_2"), []);
      } finally {
        await close();
      }
    });
  }
});
