import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import pino from "pino";
import { parseConfigText } from "../../src/config/index.ts";
import { type Mainstay, startMainstay } from "../../src/main.ts";
import { type FakeLlmServer, startFakeOpenAI } from "../support/fake-llm-servers.ts";
import {
  ADMIN_KEY,
  API_SECRET,
  auth,
  eventually,
  KNOWLEDGE_DIR,
  signedWebhook,
} from "../support/test-app.ts";

const agentYaml = (llmUrl: string, ordersUrl: string, prompt: string) => `
id: support
provider: { type: openai-compatible, model: gpt-test, baseUrl: ${llmUrl}, apiKeySecret: test-llm }
fallbacks: [{ type: builtin }]
systemPrompt: ${JSON.stringify(prompt)}
knowledgeDir: ${JSON.stringify(KNOWLEDGE_DIR)}
tools:
  - type: http
    name: order_status
    description: Status of an order
    method: GET
    url: ${ordersUrl}/orders/{{order_number}}
    parameters:
      type: object
      properties: { order_number: { type: string } }
      required: [order_number]
    authSecret: orders
  - { type: builtin, name: handoff_to_human }
limits: { maxToolRounds: 2, timeoutMs: 2000 }
`;

type View = {
  direction: string;
  text: string;
  agent: { id: string; version: string } | null;
  meta: Record<string, unknown>;
};

describe("an LLM agent from a versioned document, end to end", () => {
  const dir = mkdtempSync(join(tmpdir(), "mainstay-llm-"));
  let llm: FakeLlmServer;
  let app: Mainstay;
  let failing = false;
  const orderRequests: IncomingMessage[] = [];
  const orders = createServer((req, res) => {
    orderRequests.push(req);
    res.setHeader("content-type", "application/json");
    res.end('{"status":"shipped","carrier":"UPS"}');
  });
  let n = 0;

  before(async () => {
    await new Promise<void>((r) => orders.listen(0, "127.0.0.1", r));
    const ordersUrl = `http://127.0.0.1:${(orders.address() as AddressInfo).port}`;
    llm = await startFakeOpenAI((request) => {
      if (failing) return { error: { status: 500, type: "server_error" } };
      const messages = request.body["messages"] as { role: string; content: string }[];
      if (messages.some((m) => m.role === "tool")) {
        return {
          text: "Your order NW-123456 has shipped with UPS.",
          usage: { input: 120, output: 12 },
        };
      }
      if (messages.at(-1)?.content.includes("NW-123456")) {
        return { toolCalls: [{ name: "order_status", arguments: { order_number: "NW-123456" } }] };
      }
      return { text: "Hello from the model.", usage: { input: 50, output: 5 } };
    });
    writeFileSync(join(dir, "agent.yaml"), agentYaml(llm.url, ordersUrl, "You are Nora."));
    const yaml = `
server: { port: 0, egress: { allow: ["127.0.0.0/8", "::1", localhost] } }
storage: { dataDir: ${JSON.stringify(dir)} }
agent: { type: document, file: ./agent.yaml }
channels: [{ id: api, type: generic, secret: ${API_SECRET} }]
prices: { "openai/gpt-test": { inputPerMTok: 2, outputPerMTok: 8 } }
outbox: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, pollIntervalMs: 20 }
secrets: { test-llm: sk-test, orders: orders-token }
`;
    app = await startMainstay(parseConfigText(yaml, join(dir, "mainstay.yaml")), {
      env: { MAINSTAY_ADMIN_KEY: ADMIN_KEY },
      logger: pino({ level: "silent" }),
    });
  });
  after(async () => {
    await app?.close();
    await llm?.close();
    await new Promise((r) => orders.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  async function ask(text: string, from = `+1555200${++n}`) {
    const res = await app.app.inject(signedWebhook({ id: `llm-${n}-${text.length}`, from, text }));
    const { conversationId } = res.json();
    return eventually(async () => {
      const r = await app.app.inject({
        url: `/api/v1/conversations/${conversationId}/messages`,
        headers: auth,
      });
      const data = r.json().data as View[];
      const answer = data.find((m) => m.direction === "outbound");
      return answer ? { conversationId, answer } : undefined;
    }, "the agent's answer");
  }

  it("calls a tool, answers, and records provider, model, tokens, latency and cost", async () => {
    const { answer } = await ask("Where is my order NW-123456?");
    assert.equal(answer.text, "Your order NW-123456 has shipped with UPS.");
    assert.equal(answer.agent?.id, "support");
    assert.match(answer.agent?.version ?? "", /^v_[0-9a-f]{12}$/);
    assert.equal(answer.meta["provider"], "openai");
    assert.equal(answer.meta["model"], "gpt-test");
    // Both model calls of the turn (the tool request, then the answer) are counted.
    assert.deepEqual(answer.meta["usage"], { inputTokens: 130, outputTokens: 17 });
    assert.equal(answer.meta["cost"], (130 * 2 + 17 * 8) / 1e6);
    assert.equal(typeof answer.meta["latencyMs"], "number");
    assert.equal(orderRequests[0]?.url, "/orders/NW-123456");
    assert.equal(orderRequests[0]?.headers.authorization, "Bearer orders-token");
    assert.equal(llm.requests[0]?.headers.authorization, "Bearer sk-test");
  });

  it("falls back to the built-in agent when the model provider fails", async () => {
    failing = true;
    try {
      const { answer } = await ask("How long does shipping take?");
      assert.match(answer.text, /business days/);
      assert.equal(answer.meta["provider"], "builtin");
    } finally {
      failing = false;
    }
  });

  it("serves new conversations with a newly activated version; old ones keep theirs", async () => {
    const first = await ask("hello");
    const oldVersion = first.answer.agent?.version;
    const source = agentYaml(llm.url, "http://127.0.0.1:9", "You are Nora, now shorter.");
    const pushed = await app.app.inject({
      method: "POST",
      url: "/api/v1/agents/support/versions",
      headers: auth,
      payload: { document: source },
    });
    assert.equal(pushed.statusCode, 201, pushed.body);
    const version = pushed.json().version;
    const activated = await app.app.inject({
      method: "POST",
      url: "/api/v1/agents/support/activate",
      headers: auth,
      payload: { version },
    });
    assert.equal(activated.statusCode, 200, activated.body);
    const second = await ask("hello");
    assert.equal(second.answer.agent?.version, version);
    assert.notEqual(version, oldVersion);
    const detail = await app.app.inject({
      url: `/api/v1/conversations/${first.conversationId}`,
      headers: auth,
    });
    assert.equal(detail.json().agent.version, oldVersion);
    const last = llm.requests.at(-1);
    assert.ok(last);
    const prompt = (last.body["messages"] as { content: string }[])[0]?.content;
    assert.equal(prompt, "You are Nora, now shorter.");
  });
});
