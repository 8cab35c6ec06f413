import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  diffDocuments,
  formatDiff,
  parseAgentDocument,
} from "../../../src/agents/versions/index.ts";

const BEFORE = `id: support
provider: { type: openai-compatible, model: gpt-4.1-mini, apiKeySecret: openai }
systemPrompt: |
  You are the assistant of a phone shop.
  Answer in English.
  Be brief.
  Never promise refunds.
  Hand off when unsure.
tools:
  - { type: builtin, name: lookup_contact }
  - { type: builtin, name: handoff_to_human }
limits: { maxTokens: 300 }
`;

const AFTER = `id: support
provider: { type: openai-compatible, model: gpt-4.1, apiKeySecret: openai }
fallbacks:
  - { type: anthropic, model: claude-sonnet-4-5 }
systemPrompt: |
  You are the assistant of a phone shop.
  Answer in the customer's language.
  Be brief.
  Never promise refunds.
  Hand off when unsure.
tools:
  - type: http
    name: order_status
    description: Order status by number
    method: GET
    url: https://shop.example/orders/{{number}}
    parameters: { type: object, properties: { number: { type: string } } }
  - { type: builtin, name: handoff_to_human }
limits: { maxTokens: 500 }
`;

describe("diff of agent documents", () => {
  const before = parseAgentDocument(BEFORE, "before.yaml");
  const after = parseAgentDocument(AFTER, "after.yaml");

  it("says what was added, removed and changed, the prompt line by line", () => {
    assert.equal(
      formatDiff(diffDocuments(before, after)),
      `~ provider.model: "gpt-4.1-mini" -> "gpt-4.1"
~ systemPrompt:
      You are the assistant of a phone shop.
    - Answer in English.
    + Answer in the customer's language.
      Be brief.
    … 2 unchanged
- tools.lookup_contact: {"type":"builtin","name":"lookup_contact"}
+ tools.order_status: {"type":"http","name":"order_status","description":"Order status by number","method":"GET","url":"https://shop.example/orders/{{number}}","parameters":{"type":"object","properties":{"number":{"type":"string"}}},"timeoutMs":10000}
~ limits.maxTokens: 300 -> 500
+ fallbacks: [{"type":"anthropic","model":"claude-sonnet-4-5"}]
`,
    );
  });

  it("gives structured changes for the API", () => {
    const changes = diffDocuments(before, after);
    const model = changes.find((c) => c.path === "provider.model");
    assert.deepEqual(model, {
      kind: "changed",
      path: "provider.model",
      before: "gpt-4.1-mini",
      after: "gpt-4.1",
    });
    const prompt = changes.find((c) => c.path === "systemPrompt");
    assert.ok(prompt?.kind === "changed" && prompt.lines);
  });

  it("reports equal documents as no changes, and a reorder of tools", () => {
    assert.deepEqual(diffDocuments(before, before), []);
    assert.equal(formatDiff([]), "no changes\n");
    const swapped = { ...before, tools: [...before.tools].reverse() };
    assert.deepEqual(diffDocuments(before, swapped), [
      {
        kind: "changed",
        path: "tools (order)",
        before: ["lookup_contact", "handoff_to_human"],
        after: ["handoff_to_human", "lookup_contact"],
      },
    ]);
  });
});
