import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  ARCHITECTURE_DOC,
  moduleDependencies,
  withGeneratedTables,
} from "../../scripts/architecture-tables.ts";

test("docs/architecture.md shows the module dependencies and routes the code has", () => {
  const doc = readFileSync(ARCHITECTURE_DOC, "utf8");
  assert.equal(
    withGeneratedTables(doc),
    doc,
    "docs/architecture.md is stale: run `npm run docs:architecture` and review the change",
  );
});

test("module dependencies point one way (no cycle between src/ folders)", () => {
  const deps = moduleDependencies();
  const state = new Map<string, "visiting" | "done">();
  const visit = (module: string, path: string[]): void => {
    if (state.get(module) === "done") return;
    assert.notEqual(
      state.get(module),
      "visiting",
      `import cycle: ${[...path, module].join(" -> ")}`,
    );
    state.set(module, "visiting");
    for (const next of deps.get(module) ?? []) visit(next, [...path, module]);
    state.set(module, "done");
  };
  for (const module of deps.keys()) visit(module, []);
});

test("guardrails depends on nothing but shared", () => {
  assert.deepEqual([...(moduleDependencies().get("guardrails") ?? [])], ["shared"]);
});
