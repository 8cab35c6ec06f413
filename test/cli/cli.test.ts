import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, describe, it } from "node:test";
import { runCliCaptured } from "../support/run-cli.ts";

const run = runCliCaptured;

describe("mainstay CLI", () => {
  const dir = mkdtempSync(join(tmpdir(), "mainstay-cli-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("lists commands and gives --help for each", async () => {
    const top = await run(["--help"]);
    assert.equal(top.code, 0);
    const names = [...top.out.matchAll(/^ {2}(\S+) {2,}/gm)].map((m) => m[1]!);
    assert.ok(names.includes("start") && names.includes("validate"));
    for (const name of names) {
      const help = await run([name, "--help"]);
      assert.equal(help.code, 0, name);
      assert.match(help.out, new RegExp(`Usage: mainstay ${name}`));
    }
  });

  it("rejects unknown commands and flags", async () => {
    const unknown = await run(["frobnicate"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown command "frobnicate"/);
    const flag = await run(["validate", "--nope"]);
    assert.equal(flag.code, 2);
    assert.match(flag.err, /--nope/);
  });

  it("reports a bad policy file named by the config", async () => {
    const policy = join(dir, "policy.yaml");
    writeFileSync(policy, "rules:\n  - id: x\n    detector: pii\n    action: shout\n");
    const file = join(dir, "with-policy.yaml");
    writeFileSync(
      file,
      `policies: ./policy.yaml\nagent: { id: a, type: builtin, knowledgeDir: ${resolve("examples/knowledge")} }\nchannels: [{ id: web, type: webchat }]\n`,
    );
    const bad = await run(["validate", "-c", file]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /^MS_POLICY_INVALID: .*policy\.yaml:4:13: rules\.0\.action/);
  });

  it("validates the example and reports problems with file, line and field", async () => {
    const ok = await run(["validate", "--config", resolve("examples/mainstay.yaml")]);
    assert.equal(ok.code, 0, ok.err);
    assert.match(
      ok.out,
      /valid \(agent northwind-support@1, 2 channel\(s\), policy with \d+ rules\)/,
    );

    const file = join(dir, "bad.yaml");
    writeFileSync(
      file,
      "agent:\n  id: Bad Id\n  type: builtin\n  knowledgeDir: kb\nchannels: []\n",
    );
    const bad = await run(["validate", "-c", file]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /^MS_CONFIG_INVALID: /);
    assert.ok(bad.err.includes(`${file}:2:7: agent.id: lowercase letters`), bad.err);
    assert.ok(bad.err.includes(`${file}:5:11: channels: `), bad.err);
  });
});
