import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pino from "pino";
import { buildAgent, parseAgentDocument } from "../../src/agents/index.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { seededRandom } from "../../src/shared/random.ts";
import { type FakeLlmServer, startFakeOpenAI } from "../support/fake-llm-servers.ts";

const deps = (secrets: Record<string, string>) => ({
  secrets,
  clock: new ManualClock(),
  random: seededRandom(1),
  baseDir: ".",
  lookupContact: async () => undefined,
  logger: pino({ level: "silent" }),
});

describe("an agent's provider chain", () => {
  let primary: FakeLlmServer;
  let fallback: FakeLlmServer;
  before(async () => {
    primary = await startFakeOpenAI(() => ({
      error: { status: 400, type: "invalid_request_error", message: "bad request" },
    }));
    fallback = await startFakeOpenAI(() => ({ text: "From the fallback.", model: "small-1" }));
  });
  after(async () => {
    await primary?.close();
    await fallback?.close();
  });

  it("asks each fallback for its own model and marks the reply as a fallback", async () => {
    const document = parseAgentDocument(
      `
id: support
provider: { type: openai-compatible, model: big-1, baseUrl: ${primary.url}, apiKeySecret: key }
fallbacks:
  - { type: openai-compatible, model: small-1, baseUrl: ${fallback.url}, apiKeySecret: key }
systemPrompt: Answer.
`,
      "agent.yaml",
    );
    const agent = buildAgent(document, "v_1", deps({ key: "sk-test" }));
    const reply = await agent.respond({
      conversationId: "c",
      contactId: "k",
      channel: "generic",
      history: [],
      text: "Hi",
    });
    assert.equal(reply.text, "From the fallback.");
    assert.equal(primary.requests[0]?.body["model"], "big-1");
    assert.equal(fallback.requests[0]?.body["model"], "small-1");
    assert.equal(reply.meta?.["fallback"], true);
  });
});

describe("secrets an agent's version names", () => {
  const document = parseAgentDocument(
    `
id: support
provider: { type: openai-compatible, model: m, baseUrl: http://127.0.0.1:9, apiKeySecret: openai }
tools:
  - type: http
    name: order_status
    description: Status of an order
    method: GET
    url: http://127.0.0.1:9/orders
    parameters: { type: object }
    authSecret: orders
systemPrompt: Answer.
`,
    "agent.yaml",
  );

  it("builds when each is declared, a tool's token may be empty (sent without one)", () => {
    assert.equal(buildAgent(document, "v_1", deps({ openai: "sk", orders: "t" })).id, "support");
    assert.equal(buildAgent(document, "v_1", deps({ openai: "sk", orders: "" })).id, "support");
  });

  it("refuses one the config no longer declares, naming the declared ones", () => {
    assert.throws(() => buildAgent(document, "v_1", deps({ openai: "sk", other: "x" })), {
      code: "MS_AGENT_INVALID",
      message:
        'agent support: tool order_status: secret "orders" is not declared under secrets: in mainstay.yaml (declared secrets: openai, other)',
    });
    // A name that is a property of every object is not a declared secret either.
    const inherited = parseAgentDocument(
      "id: a\nprovider: { type: anthropic, model: m, apiKeySecret: constructor }\nsystemPrompt: A.\n",
      "agent.yaml",
    );
    assert.throws(() => buildAgent(inherited, "v_1", deps({})), {
      code: "MS_AGENT_INVALID",
      message: /secret "constructor" is not declared .*\(no secrets are declared\)$/,
    });
  });

  it("refuses a provider key whose value is empty (its variable is not set)", () => {
    assert.throws(() => buildAgent(document, "v_1", deps({ openai: "", orders: "t" })), {
      code: "MS_AGENT_INVALID",
      message: /^agent support: provider openai-compatible: secret "openai" is empty/,
    });
  });
});
