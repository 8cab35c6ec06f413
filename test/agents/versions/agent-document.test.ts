import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, it, test } from "node:test";
import {
  agentJsonSchema,
  parseAgentDocument,
  renderPrompt,
} from "../../../src/agents/versions/index.ts";
import { MainstayError } from "../../../src/shared/errors.ts";

const MINIMAL = `id: support
provider: { type: anthropic, model: claude-sonnet-4-5 }
systemPrompt: You help {{name}}.
variables: { name: customers }
`;

/** The MS_AGENT_INVALID message lines `parseAgentDocument` throws for `text`. */
function problems(text: string, file = "agent.yaml"): string[] {
  try {
    parseAgentDocument(text, file);
  } catch (e) {
    assert.ok(e instanceof MainstayError);
    assert.equal(e.code, "MS_AGENT_INVALID");
    assert.equal(e.status, 400);
    return e.message.split("\n");
  }
  assert.fail("expected the document to be invalid");
}

describe("agent documents", () => {
  it("accepts both examples", () => {
    for (const name of ["support-openai.yaml", "support-anthropic.yaml"]) {
      const file = resolve("examples/agents", name);
      const doc = parseAgentDocument(readFileSync(file, "utf8"), file);
      assert.equal(doc.id, "northwind-support");
      assert.deepEqual(
        doc.tools.map((t) => t.name),
        ["order_status", "search_knowledge_base", "lookup_contact", "handoff_to_human"],
      );
    }
  });

  it("fills in defaults", () => {
    const doc = parseAgentDocument(MINIMAL, "agent.yaml");
    assert.deepEqual(doc.limits, { maxTokens: 1024, maxToolRounds: 3, timeoutMs: 20_000 });
    assert.deepEqual(doc.handoff, {});
    assert.deepEqual(doc.tools, []);
  });

  it("renders the prompt from variables, overridden by the runtime's values", () => {
    const doc = parseAgentDocument(MINIMAL.replace("{{name}}", "{{ name }}"), "agent.yaml");
    assert.equal(renderPrompt(doc), "You help customers.");
    assert.equal(renderPrompt(doc, { name: "Ada", unused: "x" }), "You help Ada.");
  });

  it("names file, line, column and field of each problem", () => {
    const text = `id: Support Bot
provider:
  type: openai-compatible
  apiKeySecret: sk-Live-123xYz
systemPrompt: |
  Hello {{customer}}.
limits: { maxTokens: 0 }
colour: blue
`;
    assert.deepEqual(problems(text), [
      "agent.yaml:1:5: id: lowercase letters, digits, - and _",
      "agent.yaml:4:17: provider.apiKeySecret: the name of a secret declared under secrets: in mainstay.yaml (lowercase letters, digits, - and _), not the secret itself",
      "agent.yaml:3:3: provider.model: model is required for openai-compatible and anthropic providers",
      "agent.yaml:7:22: limits.maxTokens: Too small: expected number to be >=1",
      'agent.yaml:8:9: colour: Unrecognized key: "colour"',
      // Cross-field rules are checked in the same pass.
      "agent.yaml:5:15: systemPrompt: unknown placeholder {{customer}}: declare it under variables",
    ]);
  });

  it("refuses the fields that named environment variables, saying what replaces them", () => {
    const text = `${MINIMAL.replace("claude-sonnet-4-5 }", "claude-sonnet-4-5, apiKeyEnv: ANTHROPIC_API_KEY }")}tools:
  - type: http
    name: order_status
    description: Order status
    method: GET
    url: https://shop.example/orders
    parameters: { type: object }
    authHeaderEnv: ORDERS_TOKEN
    colour: blue
`;
    assert.deepEqual(problems(text), [
      `agent.yaml:2:67: provider.apiKeyEnv: documents no longer read environment variables: declare secrets.<name>: \${OPENAI_API_KEY} in mainstay.yaml and write apiKeySecret: <name>`,
      `agent.yaml:12:20: tools[0].authHeaderEnv: documents no longer read environment variables: declare secrets.<name>: \${ORDERS_TOKEN} in mainstay.yaml and write authSecret: <name>; Unrecognized key: "colour"`,
    ]);
  });

  it("with the config's secret names, refuses a document naming another", () => {
    const text = MINIMAL.replace("claude-sonnet-4-5 }", "claude-sonnet-4-5, apiKeySecret: db }");
    assert.equal(
      parseAgentDocument(text, "agent.yaml", { secrets: ["db"] }).provider.apiKeySecret,
      "db",
    );
    assert.throws(() => parseAgentDocument(text, "agent.yaml", { secrets: [] }), {
      code: "MS_AGENT_INVALID",
      message:
        'agent.yaml:2:70: provider.apiKeySecret: secret "db" is not declared under secrets: in mainstay.yaml (no secrets are declared)',
    });
  });

  it("rejects a placeholder the variables do not declare", () => {
    const lines = problems(MINIMAL.replace("{{name}}", "{{name}} and {{shop}}"));
    assert.deepEqual(lines, [
      "agent.yaml:3:15: systemPrompt: unknown placeholder {{shop}}: declare it under variables",
    ]);
  });

  it("checks HTTP tools: JSON Schema parameters and URL placeholders", () => {
    const text = `${MINIMAL}tools:
  - type: http
    name: order_status
    description: Order status
    method: GET
    url: https://shop.example/orders/{{order}}
    parameters:
      type: object
      properties: { number: { type: strin } }
  - { type: builtin, name: search_knowledge_base }
  - { type: builtin, name: order_status }
`;
    const lines = problems(text);
    assert.equal(lines.length, 3, lines.join("\n"));
    assert.match(lines[0]!, /^agent\.yaml:12:7: tools\[0\]\.parameters: not a valid JSON Schema: /);
    assert.equal(
      lines[1],
      "agent.yaml:10:10: tools[0].url: unknown placeholder {{order}}: not a property in parameters",
    );
    assert.match(lines[2]!, /^agent\.yaml:15:28: tools\[2\]\.name: Invalid option/);
  });

  it("checks rules across fields: unique tool names, what a tool needs", () => {
    const text = `${MINIMAL}tools:
  - { type: builtin, name: search_knowledge_base }
  - { type: builtin, name: search_knowledge_base }
`;
    assert.deepEqual(problems(text), [
      "agent.yaml:6:28: tools[0].name: search_knowledge_base needs knowledgeDir",
      "agent.yaml:7:28: tools[1].name: duplicate tool name",
      "agent.yaml:7:28: tools[1].name: search_knowledge_base needs knowledgeDir",
    ]);
  });

  it("reports YAML syntax errors and documents that are not a mapping", () => {
    assert.deepEqual(problems("id: [unclosed\n"), [problems("id: [unclosed\n")[0]]);
    assert.match(problems("id: [unclosed\n")[0]!, /^agent\.yaml:\d+:\d+: /);
    assert.deepEqual(problems("- a list\n"), [
      "agent.yaml:1:1: expected a YAML mapping at the top",
    ]);
  });
});

test("docs/agent.schema.json is the schema generated from the zod document schema", () => {
  const file = new URL("../../../docs/agent.schema.json", import.meta.url);
  // Regenerate with UPDATE_AGENT_SCHEMA=1 on this test, then `npx biome format --write docs`.
  if (process.env["UPDATE_AGENT_SCHEMA"] === "1") {
    writeFileSync(file, `${JSON.stringify(agentJsonSchema(), null, 2)}\n`);
  }
  assert.deepEqual(
    JSON.parse(readFileSync(file, "utf8")),
    agentJsonSchema(),
    "docs/agent.schema.json is stale: regenerate it",
  );
});
