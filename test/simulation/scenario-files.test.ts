import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, it } from "node:test";
import { loadScenarios, parseScenarioFile } from "../../src/simulation/index.ts";

const EXAMPLES = resolve(import.meta.dirname, "../../examples/simulations");

const problem = (yaml: string) => {
  try {
    parseScenarioFile(yaml, "bad.yaml");
  } catch (e) {
    return `${(e as { code: string }).code}: ${(e as Error).message}`;
  }
  assert.fail("expected the file to be refused");
};

describe("scenario files", () => {
  it("name the file, line and field of every problem, with the key meant", () => {
    const yaml = `scenarios:
  - name: x
    goal: y
    script:
      opening: hi
      replies:
        - { when: "([", say: ok }
    success:
      must_sya: 30 days
`;
    const message = problem(yaml);
    assert.match(message, /^MS_SIM_INVALID: /);
    assert.match(
      message,
      /bad\.yaml:7:\d+: scenarios\[0\]\.script\.replies\[0\]\.when: not a regular expression/,
    );
    assert.match(
      message,
      /bad\.yaml:9:\d+: scenarios\[0\]\.success\.must_sya: Unrecognized key: "must_sya".*did you mean "must_say"\?/,
    );
  });

  it("refuse a file without scenarios and duplicate names", () => {
    assert.match(problem("name: empty\n"), /bad\.yaml:1:1: scenarios: no scenarios \(nor tau2\)/);
    const twice = `scenarios:
  - { name: a, goal: g, success: {} }
  - { name: a, goal: g, success: {} }
`;
    assert.match(problem(twice), /bad\.yaml:3:\d+: scenarios\[1\]\.name: duplicate name/);
  });

  it("load a folder: every file's scenarios with the file's defaults, its config resolved", () => {
    const set = loadScenarios([EXAMPLES]);
    assert.equal(set.config, resolve(EXAMPLES, "../mainstay.yaml"));
    assert.equal(set.customer, undefined);
    const sms = set.scenarios.find((s) => s.name === "delivery time, then express")!;
    assert.equal(sms.channel, "sms");
    assert.equal(sms.language, "en");
    const returns = set.scenarios.find((s) => s.name === "return a phone, then the refund")!;
    assert.equal(returns.channel, "webchat");
    assert.equal(returns.maxTurns, 6);
    assert.equal(returns.source, join(EXAMPLES, "returns.yaml"));
  });

  it("refuse the same scenario name in two files, naming both", () => {
    const dir = mkdtempSync(join(tmpdir(), "mainstay-sim-"));
    const body = "scenarios:\n  - { name: same, goal: g, success: {} }\n";
    writeFileSync(join(dir, "a.yaml"), body);
    writeFileSync(join(dir, "b.yml"), body);
    assert.throws(() => loadScenarios([dir]), /b\.yml: scenario "same" is also in .*a\.yaml/);
  });
});
