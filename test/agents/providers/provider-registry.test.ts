import assert from "node:assert/strict";
import { resolve } from "node:path";
import { describe, it } from "node:test";
import { loadKnowledgeBase } from "../../../src/agents/builtin/index.ts";
import {
  createProvider,
  modelProviderTypes,
  providerDefinitions,
  providerEntrySchema,
} from "../../../src/agents/providers/index.ts";
import { agentJsonSchema, parseAgentDocument } from "../../../src/agents/versions/index.ts";

/** A document whose primary provider is `type`, with what that type needs. */
function documentWith(type: string): string {
  return `id: support
provider: { type: ${type}, model: m-1 }
systemPrompt: Answer.
knowledgeDir: examples/knowledge
`;
}

describe("the provider registry", () => {
  it("is the one list of types: the document schema takes each, and only those", () => {
    const types = providerDefinitions.map((d) => d.type);
    assert.equal(new Set(types).size, types.length, "types are unique");
    for (const type of types) {
      assert.equal(parseAgentDocument(documentWith(type), "agent.yaml").provider.type, type);
    }
    assert.throws(() => parseAgentDocument(documentWith("made-up"), "agent.yaml"), {
      code: "MS_AGENT_INVALID",
    });
    const published = JSON.stringify(agentJsonSchema());
    for (const type of types) assert.ok(published.includes(`"const":"${type}"`), type);
  });

  it("requires a model of every type that calls one", () => {
    for (const type of modelProviderTypes) {
      const result = providerEntrySchema.safeParse({ type });
      assert.equal(result.success, false, type);
      assert.deepEqual(result.error?.issues[0]?.path, ["model"]);
    }
    for (const d of providerDefinitions.filter((d) => d.knowledgeAgent)) {
      assert.equal(providerEntrySchema.safeParse({ type: d.type }).success, true, d.type);
    }
  });

  it("builds clients that report their pricing key and call the default base URL with the key", async () => {
    const knowledge = loadKnowledgeBase(resolve("examples/knowledge"));
    for (const definition of providerDefinitions) {
      const called: string[] = [];
      const entry = { type: definition.type, model: "m-1", apiKeySecret: "key" };
      const provider = createProvider(providerEntrySchema.parse(entry), {
        secret: (name) => `value-of-${name}`,
        fetch: async (url, init) => {
          called.push(`${url} ${JSON.stringify(init?.headers)}`);
          throw new TypeError("offline");
        },
        agent: { id: "support", version: "v1", knowledge },
      });
      assert.equal(provider.name, definition.pricingKey, definition.type);
      const answer = await provider
        .chat({ model: "m-1", messages: [{ role: "user", content: "opening hours?" }] })
        .catch(() => undefined);
      if (definition.defaultBaseUrl) {
        assert.equal(called.length, 1, definition.type);
        assert.ok(called[0]!.startsWith(definition.defaultBaseUrl), called[0]);
        assert.ok(called[0]!.includes("value-of-key"), "the API key is the named secret's value");
      } else {
        assert.deepEqual(called, [], `${definition.type} sends no request`);
        assert.equal(answer?.provider, definition.pricingKey);
      }
    }
  });
});
