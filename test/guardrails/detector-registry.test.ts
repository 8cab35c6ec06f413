import assert from "node:assert/strict";
import { test } from "node:test";
import { detectorDefinitions, policyJsonSchema, policySchema } from "../../src/guardrails/index.ts";

test("the policy schema takes every registered detector name, and only those", () => {
  const names = detectorDefinitions.map((d) => d.name);
  assert.equal(new Set(names).size, names.length, "names are unique");
  for (const name of names) {
    const parsed = policySchema.safeParse({ rules: [{ id: "r", detector: name, action: "tag" }] });
    // A detector may require options; the detector name itself is never the problem.
    const onDetector = parsed.error?.issues.filter((i) => i.path.join(".") === "rules.0.detector");
    assert.deepEqual(onDetector ?? [], [], name);
  }
  const unknown = policySchema.safeParse({
    rules: [{ id: "r", detector: "made_up", action: "tag" }],
  });
  assert.deepEqual(
    unknown.error?.issues.map((i) => i.path.join(".")),
    ["rules.0.detector"],
  );
  const published = JSON.stringify(policyJsonSchema());
  for (const name of names) assert.ok(published.includes(`"const":"${name}"`), name);
});

test("each detector's options schema is the one its rules are parsed with", () => {
  for (const definition of detectorDefinitions) {
    const parsed = policySchema.safeParse({
      rules: [{ id: "r", detector: definition.name, action: "tag" }],
    });
    if (!parsed.success) continue; // options required: nothing to compare with
    assert.deepEqual(parsed.data.rules[0]!.options, definition.options.parse({}), definition.name);
  }
});
