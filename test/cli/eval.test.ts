import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { latestEvalResult } from "../../src/evaluation/index.ts";
import { openStore } from "../../src/store/index.ts";
import { recordExampleTraffic } from "../evaluation/record-conversation.ts";
import { runCliCaptured } from "../support/run-cli.ts";

const EXAMPLES = resolve(import.meta.dirname, "../../examples");
const T0 = Date.UTC(2026, 2, 1);

describe("mainstay eval, replay and redteam", () => {
  let dir: string;
  let config: string;
  const store = () => openStore({ kind: "sqlite", file: join(dir, "data", "mainstay.db") });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "mainstay-eval-cli-"));
    config = join(dir, "mainstay.yaml");
    // The example config, with its data in a folder of its own.
    writeFileSync(
      config,
      `storage: { dataDir: ${JSON.stringify(join(dir, "data"))} }
policies: ${JSON.stringify(join(EXAMPLES, "policies/northwind.yaml"))}
agent: { id: support, version: "1", type: builtin, knowledgeDir: ${JSON.stringify(join(EXAMPLES, "knowledge"))}, threshold: 0.4 }
channels: [{ id: api, type: generic, secret: test-secret-0123456789 }]
`,
    );
    const opened = await store();
    await recordExampleTraffic(opened, T0);
    await opened.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("eval: the example suite passes the gate, writes both reports and stores the verdict", async () => {
    const out = join(dir, "pass");
    const suite = join(EXAMPLES, "evals/support.yaml");
    const {
      code,
      out: stdout,
      err,
    } = await runCliCaptured(["eval", suite, "--config", config, "--out", out]);
    assert.equal(code, 0, stdout + err);
    assert.match(stdout, /gate: PASS \(pass rate 100%, needs 100%\)/);
    assert.match(stdout, /note: 1 rubric assertion\(s\) skipped/);
    assert.match(err, /^eval: 8\/8$/m);
    const report = JSON.parse(readFileSync(join(out, "eval-report.json"), "utf8"));
    assert.equal(report.gate.passed, true);
    assert.equal(report.cases.length, 8);
    assert.match(readFileSync(join(out, "eval-report.html"), "utf8"), /^<!doctype html>/);
    const opened = await store();
    const verdict = await latestEvalResult(opened, "support", "1");
    await opened.close();
    assert.equal(verdict?.passed, true);
  });

  it("eval: the regression suite fails with exit code 1, and the version's verdict is now failed", async () => {
    const suite = join(EXAMPLES, "evals/regression.yaml");
    const args = ["eval", suite, "--config", config, "--out", join(dir, "fail"), "--repeat", "2"];
    const { code, out } = await runCliCaptured(args);
    assert.equal(code, 1);
    assert.match(out, /FAIL\s+express delivery price\s+0\/2/);
    assert.match(out, /gate: FAIL/);
    const opened = await store();
    assert.equal((await latestEvalResult(opened, "support", "1"))?.passed, false);
    await opened.close();
  });

  it("eval: a bad suite names the file, line and field", async () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(
      bad,
      "cases:\n  - name: x\n    turns:\n      - customer: hi\n        expect: { contain: x }\n",
    );
    const { code, err } = await runCliCaptured(["eval", bad, "--config", config]);
    assert.equal(code, 1);
    assert.match(
      err,
      /MS_EVAL_INVALID: .*bad\.yaml:5:\d+: cases\[0\]\.turns\[0\]\.expect\.contain: Unrecognized key/,
    );
  });

  it("replay: exports a dataset, replays it and the database window, most changed first", async () => {
    const dataset = join(dir, "traffic.jsonl");
    const window = [
      "--agent",
      "support",
      "--from",
      "2026-03-01",
      "--to",
      "2026-03-02",
      "--config",
      config,
    ];
    const exported = await runCliCaptured(["replay", "export", ...window, "--output", dataset]);
    assert.equal(exported.code, 0, exported.err);
    assert.equal(readFileSync(dataset, "utf8").trim().split("\n").length, 4);

    const out = join(dir, "replay");
    const fromFile = await runCliCaptured([
      "replay",
      "--agent",
      "support",
      "--candidate",
      "1",
      "--dataset",
      dataset,
      "--sample",
      "3",
      "--config",
      config,
      "--out",
      out,
    ]);
    assert.equal(fromFile.code, 0, fromFile.err);
    assert.match(fromFile.out, /most changed \(of 3 conversations/);
    assert.ok(existsSync(join(out, "replay-report.html")));

    const fromStore = await runCliCaptured(["replay", ...window, "--candidate", "1", "--out", out]);
    assert.equal(fromStore.code, 0, fromStore.err);
    assert.match(fromStore.out, /most changed \(of 4 conversations, 5 turns\)/);
    const report = JSON.parse(readFileSync(join(out, "replay-report.json"), "utf8"));
    assert.deepEqual(report.source, { from: "2026-03-01", to: "2026-03-02" });
    // The recordings are shortened answers of the built-in agent: alike, not the same.
    assert.ok(report.summary.similarity > 0.5, String(report.summary.similarity));
    assert.equal(report.summary.handoffs.baseline, 0);
  });

  it("redteam: the example agent lets nothing unsafe through; a wrong category is a usage error", async () => {
    const args = [
      "redteam",
      "--config",
      config,
      "--category",
      "opt_out,injection",
      "--out",
      join(dir, "rt"),
    ];
    const { code, out } = await runCliCaptured(args);
    assert.equal(code, 0, out);
    assert.match(out, /opt_out\s+12\s+0/);
    assert.match(out, /25 attacks, 0 unsafe/);
    const wrong = await runCliCaptured(["redteam", "--config", config, "--category", "phishing"]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.err, /MS_CLI_USAGE: unknown category: phishing/);
  });
});
