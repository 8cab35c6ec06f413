import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AgentContext } from "../../../src/agents/agent.ts";
import { createLlmAgent, type LlmAgentOptions } from "../../../src/agents/llm/index.ts";
import type {
  ChatProvider,
  ChatRequest,
  ChatResponse,
  ToolCallRequest,
} from "../../../src/agents/providers/chat-provider.ts";
import { ProviderError } from "../../../src/agents/providers/chat-provider.ts";
import { createToolSet, handoffTool, type Tool } from "../../../src/agents/tools/index.ts";
import { ManualClock } from "../../../src/shared/index.ts";

type Step = { text?: string; toolCalls?: ToolCallRequest[] };

/** Answers each call with the next scripted step, and keeps what it was asked. */
function scriptedProvider(steps: Step[]) {
  const requests: ChatRequest[] = [];
  const provider: ChatProvider = {
    name: "scripted",
    async chat(request) {
      // The agent appends to its message list between calls: keep each call's own view.
      requests.push({ ...request, messages: structuredClone(request.messages) });
      const step = steps[requests.length - 1];
      if (!step) throw new Error(`unexpected call ${requests.length}`);
      const toolCalls = step.toolCalls ?? [];
      return {
        provider: "scripted",
        model: "m-1",
        text: step.text ?? "",
        toolCalls,
        usage: { inputTokens: 10, outputTokens: 2 },
        finishReason: toolCalls.length > 0 ? "tool_calls" : "stop",
      } satisfies ChatResponse;
    },
  };
  return { provider, requests };
}

const call = (name: string, args: Record<string, unknown>, id = `call-${name}`) => ({
  id,
  name,
  arguments: args,
});

const orderTool: Tool = {
  spec: {
    name: "get_order",
    description: "Order status",
    parameters: {
      type: "object",
      properties: { orderId: { type: "string", pattern: "^[0-9]+$" } },
      required: ["orderId"],
      additionalProperties: false,
    },
  },
  async run(args) {
    return { content: JSON.stringify({ orderId: args["orderId"], status: "shipped" }) };
  },
};

const failingTool: Tool = {
  spec: { name: "flaky", description: "Fails", parameters: { type: "object" } },
  async run() {
    throw new Error("upstream exploded");
  },
};

// A clock that stands still makes every tool run take 0 ms.
const tools = createToolSet([orderTool, failingTool, handoffTool()], { clock: new ManualClock() });

function agentWith(steps: Step[], extra: Partial<LlmAgentOptions> = {}) {
  const { provider, requests } = scriptedProvider(steps);
  const agent = createLlmAgent({
    id: "support",
    version: "3",
    provider,
    model: "m-1",
    systemPrompt: "You are helpful.",
    tools,
    handoffText: "A person will take over.",
    ...extra,
  });
  return { agent, requests };
}

function context(text: string, history: AgentContext["history"] = []): AgentContext {
  return { conversationId: "c1", contactId: "k1", channel: "webchat", history, text };
}

describe("createLlmAgent", () => {
  it("answers in one call, mapping the history to chat roles", async () => {
    const { agent, requests } = agentWith([{ text: "Hello Ana!" }]);
    const reply = await agent.respond(
      context("and now?", [
        { role: "customer", text: "hi" },
        { role: "agent", text: "Hi, how can I help?" },
        { role: "human", text: "I checked it." },
      ]),
    );
    assert.deepEqual(reply, {
      text: "Hello Ana!",
      usage: { inputTokens: 10, outputTokens: 2 },
      meta: { provider: "scripted", model: "m-1", rounds: 0 },
    });
    assert.deepEqual(requests[0]?.messages, [
      { role: "system", content: "You are helpful." },
      { role: "user", content: "hi" },
      { role: "assistant", content: "Hi, how can I help?" },
      { role: "assistant", content: "[human agent] I checked it." },
      { role: "user", content: "and now?" },
    ]);
    assert.deepEqual(
      requests[0]?.tools?.map((t) => t.name),
      ["get_order", "flaky", "handoff_to_human"],
    );
  });

  it("runs a tool round and sends the result back to the model", async () => {
    const { agent, requests } = agentWith([
      { text: "Checking.", toolCalls: [call("get_order", { orderId: "42" })] },
      { text: "Order 42 has shipped." },
    ]);
    const reply = await agent.respond(context("where is order 42?"));
    assert.equal(reply.text, "Order 42 has shipped.");
    const result = '{"orderId":"42","status":"shipped"}';
    assert.deepEqual(reply.toolCalls, [
      { name: "get_order", arguments: { orderId: "42" }, result },
    ]);
    assert.deepEqual(reply.usage, { inputTokens: 20, outputTokens: 4 });
    assert.deepEqual(reply.meta, {
      provider: "scripted",
      model: "m-1",
      rounds: 1,
      toolRuns: [{ status: "ok", durationMs: 0 }],
    });
    assert.deepEqual(requests[1]?.messages.slice(-2), [
      {
        role: "assistant",
        content: "Checking.",
        toolCalls: [call("get_order", { orderId: "42" })],
      },
      { role: "tool", content: result, toolCallId: "call-get_order" },
    ]);
    assert.equal(reply.handoff, undefined);
  });

  it("reports invalid arguments to the model, which corrects itself", async () => {
    const { agent, requests } = agentWith([
      { toolCalls: [call("get_order", { orderId: "forty-two" }, "a")] },
      { toolCalls: [call("get_order", { orderId: "42" }, "b")] },
      { text: "It has shipped." },
    ]);
    const reply = await agent.respond(context("order forty-two?"));
    assert.equal(reply.text, "It has shipped.");
    const invalid = requests[1]?.messages.at(-1);
    assert.equal(invalid?.toolCallId, "a");
    assert.match(invalid?.content ?? "", /^invalid arguments: arguments\/orderId must match/);
    assert.equal(reply.toolCalls?.length, 2);
    assert.equal(reply.meta?.["rounds"], 2);
  });

  it("reports a failing tool to the model, not the customer", async () => {
    const { agent, requests } = agentWith([
      { toolCalls: [call("flaky", {})] },
      { text: "Sorry, I cannot check that right now." },
    ]);
    const reply = await agent.respond(context("check it"));
    assert.equal(reply.text, "Sorry, I cannot check that right now.");
    assert.equal(requests[1]?.messages.at(-1)?.content, "tool error: upstream exploded");
  });

  it("stops offering tools after maxToolRounds and asks for a final answer", async () => {
    const again = { toolCalls: [call("get_order", { orderId: "1" })] };
    const { agent, requests } = agentWith([again, again, { ...again, text: "Done looping." }], {
      maxToolRounds: 2,
    });
    const reply = await agent.respond(context("loop"));
    assert.equal(requests.length, 3);
    assert.ok(requests[1]?.tools);
    assert.equal(requests[2]?.tools, undefined);
    assert.equal(reply.text, "Done looping.");
    assert.equal(reply.toolCalls?.length, 2);
    assert.deepEqual(reply.usage, { inputTokens: 30, outputTokens: 6 });
    assert.equal(reply.meta?.["rounds"], 2);
  });

  it("hands off when the model calls handoff_to_human", async () => {
    const handoff = call("handoff_to_human", { reason: "wants a refund over the limit" });
    const { agent } = agentWith([{ toolCalls: [handoff] }, { text: "Connecting you now." }]);
    const reply = await agent.respond(context("refund 5000 euros"));
    // The model's words map to a fixed reason and stay as the detail.
    assert.deepEqual(reply.handoff, { reason: "policy", detail: "wants a refund over the limit" });
    assert.equal(reply.text, "Connecting you now.");
    assert.equal(reply.toolCalls?.[0]?.result, "handing off");
  });

  it("uses handoffText when the model hands off without a word", async () => {
    const handoff = call("handoff_to_human", { reason: "angry" });
    const { agent } = agentWith([{ toolCalls: [handoff] }, { text: " " }]);
    const reply = await agent.respond(context("!!!"));
    assert.equal(reply.text, "A person will take over.");
    assert.deepEqual(reply.handoff, { reason: "sentiment", detail: "angry" });
  });

  it("sends no tools when it has none, and lets provider errors through", async () => {
    const { agent, requests } = agentWith([{ text: "ok" }], { tools: undefined });
    await agent.respond(context("hi"));
    assert.equal(requests[0]?.tools, undefined);
    const failing = createLlmAgent({
      id: "a",
      version: "1",
      model: "m",
      systemPrompt: "",
      handoffText: "",
      provider: {
        name: "down",
        chat: () => Promise.reject(new ProviderError("503", { provider: "down", retryable: true })),
      },
    });
    await assert.rejects(failing.respond(context("hi")), ProviderError);
  });
});
