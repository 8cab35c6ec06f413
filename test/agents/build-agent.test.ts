import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pino from "pino";
import { buildAgent, parseAgentDocument } from "../../src/agents/index.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { seededRandom } from "../../src/shared/random.ts";
import { type FakeLlmServer, startFakeOpenAI } from "../support/fake-llm-servers.ts";

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
provider: { type: openai-compatible, model: big-1, baseUrl: ${primary.url}, apiKeyEnv: KEY }
fallbacks:
  - { type: openai-compatible, model: small-1, baseUrl: ${fallback.url}, apiKeyEnv: KEY }
systemPrompt: Answer.
`,
      "agent.yaml",
    );
    const agent = buildAgent(document, "v_1", {
      env: { KEY: "sk-test" },
      clock: new ManualClock(),
      random: seededRandom(1),
      baseDir: ".",
      lookupContact: async () => undefined,
      logger: pino({ level: "silent" }),
    });
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
