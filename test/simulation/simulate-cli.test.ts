import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { pushAgentVersion } from "../../src/agents/index.ts";
import { openStore } from "../../src/store/index.ts";
import { type FakeLlmServer, startFakeOpenAI } from "../support/fake-llm-servers.ts";
import { runCliCaptured } from "../support/run-cli.ts";
import { simulationModels } from "./fake-customer.ts";
import { RETURN_SCENARIO } from "./scenario-fixtures.ts";

const EXAMPLES = resolve(import.meta.dirname, "../../examples");
const TAU2 = resolve(import.meta.dirname, "fixtures/northwind-tau2.json");
const T0 = Date.UTC(2026, 2, 1);

const agentDocument = (model: string, baseUrl: string) => `id: northwind-support
provider: { type: openai-compatible, model: ${model}, baseUrl: "${baseUrl}" }
systemPrompt: You are Nora, the support assistant of Northwind Mobile.
tools:
  - { type: builtin, name: search_knowledge_base }
  - { type: builtin, name: handoff_to_human }
knowledgeDir: ${JSON.stringify(join(EXAMPLES, "knowledge"))}
`;

describe("mainstay simulate", () => {
  let dir: string;
  let config: string;
  let fake: FakeLlmServer;
  const versions: Record<string, string> = {};

  before(async () => {
    fake = await startFakeOpenAI(simulationModels);
    dir = mkdtempSync(join(tmpdir(), "mainstay-simulate-cli-"));
    config = join(dir, "mainstay.yaml");
    writeFileSync(
      config,
      `server: { egress: { allow: ["127.0.0.1/32"] } }
storage: { dataDir: ${JSON.stringify(join(dir, "data"))} }
policies: ${JSON.stringify(join(EXAMPLES, "policies/northwind.yaml"))}
agent: { id: northwind-support, version: "1", type: builtin, knowledgeDir: ${JSON.stringify(join(EXAMPLES, "knowledge"))}, threshold: 0.4 }
channels: [{ id: api, type: generic, secret: test-secret-0123456789 }]
`,
    );
    const store = await openStore({ kind: "sqlite", file: join(dir, "data", "mainstay.db") }, T0);
    for (const model of ["good-model", "bad-model"]) {
      const source = agentDocument(model, fake.url);
      const pushed = await pushAgentVersion(
        store,
        { source, file: `${model}.yaml`, secrets: [] },
        T0,
      );
      versions[model] = pushed.version;
    }
    await store.close();
    writeFileSync(
      join(dir, "returns.yaml"),
      `customer: { type: openai-compatible, model: customer-model, baseUrl: "${fake.url}" }\n${RETURN_SCENARIO}`,
    );
  });
  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the example scenarios pass on the built-in agent with scripted customers", async () => {
    const out = join(dir, "examples");
    const args = ["simulate", join(EXAMPLES, "simulations"), "--agent", "northwind-support@1"];
    const {
      code,
      out: stdout,
      err,
    } = await runCliCaptured([...args, "--config", config, "--out", out]);
    assert.equal(code, 0, stdout + err);
    assert.match(err, /^simulate: 6\/6$/m);
    assert.match(
      stdout,
      /candidate 1: pass\^1 100%, pass@1 100% \(6\/6 scenarios passed every trial; 2 trial\(s\) handed off\)/,
    );
    assert.match(stdout, /gate: PASS/);
    const report = JSON.parse(readFileSync(join(out, "simulate-report.json"), "utf8"));
    assert.equal(report.customer, "scripted");
    assert.equal(report.scenarios.length, 6);
    assert.ok(existsSync(join(out, "simulate-report.html")));
  });

  it("a regressed candidate exits 1 and the table shows the diff against the baseline", async () => {
    const args = [
      "simulate",
      join(dir, "returns.yaml"),
      "--agent",
      `northwind-support@${versions["bad-model"]}`,
      "--baseline",
      versions["good-model"]!,
      "--trials",
      "2",
      "--config",
      config,
      "--out",
      join(dir, "regressed"),
    ];
    const { code, out } = await runCliCaptured(args);
    assert.equal(code, 1, out);
    assert.match(out, /REGRESSED\s+return a phone\s+0\/2\s+2\/2/);
    assert.match(
      out,
      /gate: FAIL \(pass\^2 0%, needs 100%; below the baseline; regressed: return a phone\)/,
    );
    const report = JSON.parse(readFileSync(join(dir, "regressed", "simulate-report.json"), "utf8"));
    assert.equal(report.customer, "openai-compatible/customer-model");
    assert.equal(report.baseline.passHatK, 1);
  });

  it("tau2 tasks imported by a scenario file: expected calls the candidate cannot make are listed", async () => {
    const file = join(dir, "tau2.yaml");
    writeFileSync(
      file,
      `customer: { type: openai-compatible, model: customer-model, baseUrl: "${fake.url}" }\ntau2: ${JSON.stringify(TAU2)}\nmaxTurns: 3\n`,
    );
    const args = ["simulate", file, "--agent", `northwind-support@${versions["good-model"]}`];
    const { code, out } = await runCliCaptured([
      ...args,
      "--config",
      config,
      "--min-pass",
      "0.3",
      "--out",
      join(dir, "tau2"),
    ]);
    assert.equal(code, 0, out);
    assert.match(out, /pass\s+tau2 task nw-return-1\s+1\/1/);
    assert.match(
      out,
      /expected tool calls the candidate cannot make: tau2 task nw-order-2: order_status \(unknown_tool\); tau2 task nw-order-3: order_status \(unknown_tool\); tau2 task nw-order-3: cancel_order \(unknown_tool\)/,
    );
    assert.match(out, /gate: PASS \(pass\^1 33\.3%, needs 30%\)/);
  });

  it("refuses scenarios without a customer, bad files and bad flags", async () => {
    const noScript = join(dir, "no-script.yaml");
    writeFileSync(noScript, RETURN_SCENARIO);
    const missing = await runCliCaptured(["simulate", noScript, "--config", config]);
    assert.equal(missing.code, 1);
    assert.match(
      missing.err,
      /MS_SIM_INVALID: no `customer` model is set and these scenarios have no `script`: .*no-script\.yaml: "return a phone"/,
    );
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "scenarios:\n  - name: x\n    goal: y\n    success: { handof: true }\n");
    const invalid = await runCliCaptured(["simulate", bad, "--config", config]);
    assert.equal(invalid.code, 1);
    assert.match(
      invalid.err,
      /MS_SIM_INVALID: .*bad\.yaml:4:\d+: scenarios\[0\]\.success\.handof: Unrecognized key/,
    );
    const flag = await runCliCaptured(["simulate", bad, "--min-pass", "2"]);
    assert.match(flag.err, /MS_CLI_USAGE: --min-pass must be a share from 0 to 1/);
  });
});
