import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pino from "pino";
import {
  type BuildAgentDeps,
  buildAgent,
  parseAgentDocument,
  type ResilienceSettings,
} from "../../src/agents/index.ts";
import { parseConfigText } from "../../src/config/index.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { MainstayError } from "../../src/shared/errors.ts";
import { seededRandom } from "../../src/shared/random.ts";
import { type FakeLlmServer, startFakeOpenAI } from "../support/fake-llm-servers.ts";

const deps = (providers?: ResilienceSettings): BuildAgentDeps => ({
  secrets: { key: "sk-test" },
  clock: new ManualClock(),
  random: seededRandom(1),
  baseDir: ".",
  lookupContact: async () => undefined,
  logger: pino({ level: "silent" }),
  ...(providers && { providers }),
});

const ask = (agent: ReturnType<typeof buildAgent>) =>
  agent.respond({
    conversationId: "c",
    contactId: "k",
    channel: "generic",
    history: [],
    text: "Hi",
  });

describe("provider middleware settings: the entry's, then the server's, then the defaults", () => {
  let down: FakeLlmServer;
  before(async () => {
    down = await startFakeOpenAI(() => ({
      error: { status: 503, type: "server_error", message: "overloaded" },
    }));
  });
  after(() => down?.close());

  const documentWith = (extra: string) =>
    parseAgentDocument(
      `
id: support
provider: { type: openai-compatible, model: m, baseUrl: ${down.url}, apiKeySecret: key${extra} }
systemPrompt: Answer.
`,
      "agent.yaml",
    );

  it("retries as many times as the server's providers.retry says", async () => {
    const before = down.requests.length;
    const agent = buildAgent(
      documentWith(""),
      "v_1",
      deps({ retry: { maxAttempts: 2, baseDelayMs: 0 } }),
    );
    const reply = await ask(agent);
    assert.equal(reply.handoff?.reason, "provider_unavailable");
    assert.equal(down.requests.length - before, 2);
  });

  it("lets the entry's own retry win over the server's", async () => {
    const before = down.requests.length;
    const agent = buildAgent(
      documentWith(", retry: { maxAttempts: 1 }"),
      "v_1",
      deps({ retry: { maxAttempts: 4, baseDelayMs: 0 } }),
    );
    await ask(agent);
    assert.equal(down.requests.length - before, 1);
  });

  it("opens the breaker after the entry's failureThreshold: the next turn sends nothing", async () => {
    const agent = buildAgent(
      documentWith(", retry: { maxAttempts: 1 }, breaker: { failureThreshold: 1 }"),
      "v_1",
      deps(),
    );
    const before = down.requests.length;
    await ask(agent);
    assert.equal(down.requests.length - before, 1);
    const reply = await ask(agent);
    assert.equal(reply.handoff?.reason, "provider_unavailable");
    assert.equal(down.requests.length - before, 1, "the open circuit fails fast");
  });

  it("refuses an out-of-range or misspelt setting in the document", () => {
    assert.throws(
      () => documentWith(", retry: { maxAttempts: 0 }"),
      (e: unknown) => e instanceof MainstayError && /provider\.retry\.maxAttempts/.test(e.message),
    );
    assert.throws(
      () => documentWith(", breaker: { cooldown: 5000 }"),
      (e: unknown) => e instanceof MainstayError && /did you mean "cooldownMs"/.test(e.message),
    );
  });

  it("reads providers: in mainstay.yaml, numbers from ${VAR} included", () => {
    const { config } = parseConfigText(
      `agent: { id: support, type: builtin, knowledgeDir: ./kb }
channels: [{ id: web, type: webchat }]
providers:
  retry: { maxAttempts: "\${RETRIES}", maxDelayMs: 1000 }
  breaker: { cooldownMs: 10000 }
`,
      "/etc/mainstay.yaml",
      { RETRIES: "5" },
    );
    assert.deepEqual(config.providers, {
      retry: { maxAttempts: 5, maxDelayMs: 1000 },
      breaker: { cooldownMs: 10000 },
    });
  });
});
