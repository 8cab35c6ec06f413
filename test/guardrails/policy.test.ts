import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { test } from "node:test";
import { parse } from "yaml";
import {
  DEFAULT_POLICY,
  defaultPolicy,
  loadPolicyFile,
  parsePolicy,
  policyJsonSchema,
  policySchema,
} from "../../src/guardrails/index.ts";
import { isMainstayError } from "../../src/shared/errors.ts";

const root = new URL("../../", import.meta.url);

test("docs/policy.schema.json is the schema generated from the zod policy", () => {
  const file = new URL("docs/policy.schema.json", root);
  // Regenerate with UPDATE_POLICY_SCHEMA=1 on this test, then `npx biome format --write docs`.
  if (process.env.UPDATE_POLICY_SCHEMA === "1")
    writeFileSync(file, `${JSON.stringify(policyJsonSchema(), null, 2)}\n`);
  assert.deepEqual(
    JSON.parse(readFileSync(file, "utf8")),
    policyJsonSchema(),
    "docs/policy.schema.json is stale: regenerate it",
  );
});

test("examples/policies/default.yaml is the built-in default policy", () => {
  const example = loadPolicyFile(new URL("examples/policies/default.yaml", root).pathname);
  const { cases, ...rules } = example;
  const { cases: _none, ...builtIn } = defaultPolicy();
  assert.deepEqual(rules, builtIn);
  assert.ok(cases.length >= 20, "the default policy ships test cases");
  assert.deepEqual(policySchema.parse(parse(JSON.stringify(DEFAULT_POLICY))), defaultPolicy());
});

function policyError(source: string): string {
  try {
    parsePolicy(source, "p.yaml");
  } catch (e) {
    assert.ok(isMainstayError(e));
    assert.equal(e.code, "MS_POLICY_INVALID");
    return e.message;
  }
  assert.fail("expected MS_POLICY_INVALID");
}

test("invalid policies name the file, line and field path", () => {
  const message = policyError(`rules:
  - id: a
    detector: pii
    action: redact
  - id: b
    detector: injection
    action: explode
`);
  assert.match(message, /^p\.yaml:7:13: rules\.1\.action: /);
  assert.match(
    policyError("rules:\n  - id: a\n    detector: nope\n    action: tag\n"),
    /p\.yaml:3:15: rules\.0\.detector/,
  );
  assert.match(
    policyError(
      "rules:\n  - id: a\n    detector: injection\n    action: tag\n    options: { threshold: 2 }\n",
    ),
    /p\.yaml:5:27: rules\.0\.options\.threshold/,
  );
  assert.match(
    policyError(
      "rules:\n  - id: a\n    detector: pii\n    action: tag\n  - id: a\n    detector: pii\n    action: tag\n",
    ),
    /duplicate rule id/,
  );
  assert.match(policyError("rules: [\n"), /^p\.yaml:\d+:\d+: /);
  assert.match(
    policyError("rules:\n  - id: f\n    detector: commitment\n    action: fallback\n"),
    /fallbackReply/,
  );
});

test("a mainstay.yaml with a policies: section loads the same way", () => {
  const policy = parsePolicy(
    "server: { port: 1 }\npolicies:\n  rules:\n    - id: a\n      detector: pii\n      action: redact\n",
  );
  assert.equal(policy.rules[0]?.id, "a");
  assert.match(
    (() => {
      try {
        parsePolicy(
          "policies:\n  rules:\n    - id: a\n      detector: pii\n      action: nope\n",
          "mainstay.yaml",
        );
        return "";
      } catch (e) {
        return (e as Error).message;
      }
    })(),
    /mainstay\.yaml:5:\d+: policies\.rules\.0\.action/,
  );
});

test("a missing file is MS_POLICY_INVALID naming the path", () => {
  assert.throws(
    () => loadPolicyFile("/nonexistent/policy.yaml"),
    (e: unknown) => {
      return (
        isMainstayError(e) &&
        e.code === "MS_POLICY_INVALID" &&
        e.message.includes("/nonexistent/policy.yaml")
      );
    },
  );
});
