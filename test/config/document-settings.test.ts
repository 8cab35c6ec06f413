import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pino from "pino";
import {
  buildAgent,
  canonicalJson,
  getAgentVersion,
  parseAgentDocument,
  pushAgentVersion,
  versionOf,
} from "../../src/agents/index.ts";
import { parseConfigText } from "../../src/config/index.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { MainstayError } from "../../src/shared/errors.ts";
import { seededRandom } from "../../src/shared/random.ts";
import { backends, openBackendStore } from "../support/backends.ts";
import { type FakeLlmServer, startFakeOpenAI } from "../support/fake-llm-servers.ts";

const WITH_REFERENCES = `id: support
provider: { type: openai-compatible, model: "\${MODEL}", baseUrl: "\${LLM_URL}", apiKeySecret: openai }
fallbacks:
  - { type: openai-compatible, model: small-1, baseUrl: "\${LLM_URL}/backup" }
systemPrompt: Prices are in \${CURRENCY}.
tools:
  - type: http
    name: order_status
    description: Look up an order
    method: GET
    url: "\${ORDERS_URL}/orders/{{id}}"
    parameters: { type: object, properties: { id: { type: string } }, required: [id] }
`;

const STAGING = {
  MODEL: "big-1",
  LLM_URL: "https://llm.staging.example.com/v1",
  ORDERS_URL: "https://orders.staging.example.com",
};
const PRODUCTION = {
  MODEL: "big-2",
  LLM_URL: "https://llm.example.com/v1",
  ORDERS_URL: "https://orders.example.com",
};

/** The MS_AGENT_INVALID lines `parseAgentDocument` throws. */
function problems(text: string, settings?: Record<string, string>): string[] {
  try {
    parseAgentDocument(text, "agent.yaml", { settings });
  } catch (e) {
    assert.ok(e instanceof MainstayError, String(e));
    assert.equal(e.code, "MS_AGENT_INVALID");
    return e.message.split("\n");
  }
  assert.fail("expected the document to be rejected");
}

const deps = (settings: Record<string, string>) => ({
  secrets: { openai: "sk-test" },
  settings,
  clock: new ManualClock(),
  random: seededRandom(1),
  baseDir: ".",
  lookupContact: async () => undefined,
  logger: pino({ level: "silent" }),
});

describe(`\${NAME} in agent documents`, () => {
  it("stores the reference, not the value: one version on every server", () => {
    const staging = parseAgentDocument(WITH_REFERENCES, "agent.yaml", { settings: STAGING });
    const production = parseAgentDocument(WITH_REFERENCES, "agent.yaml", {
      settings: PRODUCTION,
    });
    assert.equal(staging.provider.baseUrl, `\${LLM_URL}`);
    assert.equal(staging.provider.model, `\${MODEL}`);
    assert.equal(staging.fallbacks?.[0]?.baseUrl, `\${LLM_URL}/backup`);
    assert.equal(versionOf(staging), versionOf(production));
    assert.ok(canonicalJson(staging).includes(`\${ORDERS_URL}/orders/{{id}}`));
    assert.ok(!canonicalJson(staging).includes("staging.example.com"));
    // Only the settings fields are filled: elsewhere `${` is text, as before.
    assert.equal(staging.systemPrompt, `Prices are in \${CURRENCY}.`);
  });

  it("keeps the version of a document without references", () => {
    // The version this document had before settings existed.
    const doc = `id: support
provider: { type: openai-compatible, model: gpt-4.1-mini, baseUrl: "https://api.example.com/v1", apiKeySecret: openai }
fallbacks:
  - { type: anthropic, model: claude-sonnet-4-5 }
systemPrompt: You help {{company}} customers.
variables: { company: Northwind }
tools:
  - type: http
    name: order_status
    description: Look up an order
    method: GET
    url: https://orders.example.com/orders/{{id}}
    parameters: { type: object, properties: { id: { type: string } }, required: [id] }
`;
    const parsed = parseAgentDocument(doc, "a.yaml", { secrets: ["openai"], settings: STAGING });
    assert.equal(versionOf(parsed), "v_5ab992b91055");
  });

  it("reports an undeclared, empty or misspelt setting at the reference", () => {
    const text = `id: support
provider: { type: openai-compatible, model: "\${MODLE}", baseUrl: "https://\${HOST}/v1" }
fallbacks:
  - { type: openai-compatible, model: "\${MODEL:-small}" }
systemPrompt: Hi.
`;
    assert.deepEqual(problems(text, { MODEL: "big-1", HOST: "" }), [
      'agent.yaml:2:46: provider.model: setting "MODLE" is not declared under settings: in mainstay.yaml; did you mean "MODEL"? (declared settings: MODEL, HOST)',
      'agent.yaml:2:75: provider.baseUrl: setting "HOST" is empty (the variable its value references is not set)',
      `agent.yaml:4:40: fallbacks[0].model: \${MODEL:-small}: a document names a setting as \${NAME} (letters, digits and _); a default belongs in the server's settings:`,
    ]);
  });

  it("checks the value a setting gives the field, and says what it was", () => {
    assert.deepEqual(
      problems(WITH_REFERENCES, { ...STAGING, LLM_URL: "ftp://llm", ORDERS_URL: "orders" }),
      [
        `agent.yaml:2:66: provider.baseUrl: Invalid URL (\${LLM_URL} is "ftp://llm")`,
        `agent.yaml:4:57: fallbacks[0].baseUrl: Invalid URL (\${LLM_URL} is "ftp://llm")`,
        `agent.yaml:11:10: tools[0].url: an http:// or https:// URL (\${ORDERS_URL} is "orders")`,
        `agent.yaml:11:10: tools[0].url: invalid URL (\${ORDERS_URL} is "orders")`,
      ],
    );
  });

  it("without the server's settings, checks only how references are written", () => {
    const doc = parseAgentDocument(WITH_REFERENCES, "agent.yaml");
    assert.equal(doc.provider.baseUrl, `\${LLM_URL}`);
    assert.match(
      problems(WITH_REFERENCES.replace(`\${MODEL}`, `\${MO-DEL}`))[0]!,
      /^agent\.yaml:2:46: provider\.model: \$\{MO-DEL\}: a document names a setting as/,
    );
  });

  it("reads settings from mainstay.yaml, usually from the environment", () => {
    const text = `agent: { id: a, type: builtin, knowledgeDir: ./kb }
channels: [{ id: web, type: webchat }]
settings:
  LLM_URL: \${LLM_URL:-https://llm.example.com/v1}
  MODEL: big-1
`;
    const { config } = parseConfigText(text, "/etc/mainstay.yaml", {});
    assert.deepEqual(config.settings, { LLM_URL: "https://llm.example.com/v1", MODEL: "big-1" });
    assert.throws(
      () => parseConfigText(`${text}  not-a-name: x\n`, "/etc/mainstay.yaml", {}),
      /settings\.not-a-name: a setting's name: letters, digits and _/,
    );
  });
});

describe("settings are filled in when the agent is built", () => {
  let llm: FakeLlmServer;
  before(async () => {
    llm = await startFakeOpenAI(() => ({ text: "Hello from this server's model." }));
  });
  after(() => llm?.close());

  const document = () => parseAgentDocument(WITH_REFERENCES, "agent.yaml");

  it("sends the request to this server's URL and model", async () => {
    const agent = buildAgent(document(), "v_1", deps({ ...STAGING, LLM_URL: llm.url }));
    const reply = await agent.respond({
      conversationId: "c",
      contactId: "k",
      channel: "generic",
      history: [],
      text: "Hi",
    });
    assert.equal(reply.text, "Hello from this server's model.");
    assert.equal(llm.requests[0]?.body["model"], "big-1");
  });

  it("refuses a version whose setting this server lacks, or gives a bad value", () => {
    const { MODEL: _, ...withoutModel } = STAGING;
    assert.throws(() => buildAgent(document(), "v_1", deps(withoutModel)), {
      code: "MS_AGENT_INVALID",
      message: /^agent support: provider\.model: setting "MODEL" is not declared under settings/,
    });
    assert.throws(() => buildAgent(document(), "v_1", deps({ ...STAGING, LLM_URL: "nope" })), {
      code: "MS_AGENT_INVALID",
      message: /^agent support: provider\.baseUrl: Invalid URL/,
    });
  });
});

for (const backend of backends) {
  describe(`a pushed version keeps the references: ${backend.name}`, () => {
    const now = Date.UTC(2026, 0, 1);
    let opened: Awaited<ReturnType<typeof openBackendStore>>;
    before(async () => {
      opened = await openBackendStore(backend, now);
    });
    after(() => opened?.close());

    it("stores the reference, and pushing it with other values is the same version", async () => {
      const input = { source: WITH_REFERENCES, file: "agent.yaml", secrets: ["openai"] };
      const first = await pushAgentVersion(opened.store, { ...input, settings: STAGING }, now);
      const again = await pushAgentVersion(opened.store, { ...input, settings: PRODUCTION }, now);
      assert.equal(again.version, first.version);
      assert.equal(again.created, false);
      const stored = await getAgentVersion(opened.store, "support", first.version);
      assert.equal(stored.document.provider.baseUrl, `\${LLM_URL}`);
      await assert.rejects(
        pushAgentVersion(opened.store, { ...input, settings: { MODEL: "m" } }, now),
        { code: "MS_AGENT_INVALID", message: /setting "LLM_URL" is not declared/ },
      );
    });
  });
}
