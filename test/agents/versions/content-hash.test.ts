import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  canonicalJson,
  parseAgentDocument,
  versionOf,
} from "../../../src/agents/versions/index.ts";

const A = `id: support
provider: { type: anthropic, model: claude-sonnet-4-5 }
systemPrompt: "You help {{name}}."
variables: { name: customers, shop: Northwind }
limits: { maxTokens: 300, maxToolRounds: 3 }
`;

// The same document: keys reordered, flow style turned to block style, comments, a default spelled out.
const B = `# reordered
limits:
  maxToolRounds: 3
  maxTokens: 300
  timeoutMs: 20000
variables:
  shop: Northwind
  name: customers

systemPrompt: You help {{name}}.
provider:
  model: claude-sonnet-4-5
  type: anthropic
tools: []
id: support
`;

/** Rebuild a value with every object's keys in a shuffled order. */
function shuffled(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffled(v, random));
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value).map(([k, v]) => [k, shuffled(v, random)] as const);
  entries.sort(() => random() - 0.5);
  return Object.fromEntries(entries);
}

describe("content hash", () => {
  it("gives the same version whatever the key order, layout and spelled-out defaults", () => {
    const a = versionOf(parseAgentDocument(A, "a.yaml"));
    assert.match(a, /^v_[0-9a-f]{12}$/);
    assert.equal(versionOf(parseAgentDocument(B, "b.yaml")), a);
  });

  it("gives another version for any change of content", () => {
    const a = versionOf(parseAgentDocument(A, "a.yaml"));
    const changed = A.replace("maxTokens: 300", "maxTokens: 301");
    assert.notEqual(versionOf(parseAgentDocument(changed, "a.yaml")), a);
    // Tool order reaches the model, so it is content.
    const tools = (order: string[]) =>
      `${A}tools:\n${order.map((n) => `  - { type: builtin, name: ${n} }`).join("\n")}\n`;
    assert.notEqual(
      versionOf(parseAgentDocument(tools(["lookup_contact", "handoff_to_human"]), "a.yaml")),
      versionOf(parseAgentDocument(tools(["handoff_to_human", "lookup_contact"]), "a.yaml")),
    );
  });

  it("canonical JSON does not depend on key order (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer(), (value, seed) => {
        let s = seed;
        const random = () => {
          s = (s * 1103515245 + 12345) % 2 ** 31;
          return Math.abs(s) / 2 ** 31;
        };
        assert.equal(canonicalJson(shuffled(value, random)), canonicalJson(value));
      }),
    );
  });
});
