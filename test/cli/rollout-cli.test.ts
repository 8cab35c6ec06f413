import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { EXAMPLE_SECRETS_YAML } from "../support/document-agent.ts";
import { runCliCaptured as cli } from "../support/run-cli.ts";
import { testConfigYaml } from "../support/test-app.ts";

const OPENAI = resolve("examples/agents/support-openai.yaml");
const ANTHROPIC = resolve("examples/agents/support-anthropic.yaml");

describe("mainstay rollout and kill", () => {
  const dir = mkdtempSync(join(tmpdir(), "mainstay-rollout-cli-"));
  const config = join(dir, "mainstay.yaml");
  const local = ["--config", config];
  let baseline: string;
  let candidate: string;
  before(async () => {
    writeFileSync(
      config,
      testConfigYaml({ dataDir: join(dir, "data"), extraYaml: EXAMPLE_SECRETS_YAML }),
    );
    baseline = (await cli(["agents", "push", OPENAI, ...local])).out.split(/[@ ]/)[1]!;
    candidate = (await cli(["agents", "push", ANTHROPIC, ...local])).out.split(/[@ ]/)[1]!;
    await cli(["agents", "activate", `northwind-support@${baseline}`, ...local]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("explains itself", async () => {
    const top = await cli(["rollout", "--help"]);
    assert.equal(top.code, 0);
    for (const name of ["start", "status", "list", "pause", "resume", "promote", "abort"]) {
      assert.match(top.out, new RegExp(`^ {2}${name} `, "m"));
      assert.match(
        (await cli(["rollout", name, "--help"])).out,
        new RegExp(`^Usage: mainstay rollout ${name} `),
      );
    }
    assert.match((await cli(["kill", "--help"])).out, /^Usage: mainstay kill AGENT/);
  });

  it("names the line and field of a bad rollout file", async () => {
    const file = join(dir, "bad.yaml");
    writeFileSync(
      file,
      `agent: northwind-support\ncandidate: ${candidate}\nsteps:\n  - canary: 5%\n    minConversation: 10\n`,
    );
    const res = await cli(["rollout", "start", file, ...local]);
    assert.equal(res.code, 1);
    assert.match(res.err, /^MS_ROLLOUT_INVALID: .*bad\.yaml:5:\d+: steps\[0\]\.minConversation: /m);
  });

  it("starts, shows, steers and ends a rollout", async () => {
    const file = join(dir, "canary.yaml");
    writeFileSync(
      file,
      `agent: northwind-support\ncandidate: ${candidate}\nsteps:\n  - canary: 5%\n  - canary: 50%\n`,
    );
    const started = await cli(["rollout", "start", file, ...local]);
    assert.equal(started.code, 0, started.err);
    const id = /^rollout (ro_\w+):/.exec(started.out)?.[1];
    assert.ok(id, started.out);
    assert.match(started.out, /state: {3}running, step 1\/2: \[5%\] → 50%/);
    assert.match(started.out, /violation: baseline 0\/0/);

    const status = await cli(["rollout", "status", id, "--json", ...local]);
    assert.equal(JSON.parse(status.out).share, 0.05);
    assert.match(
      (await cli(["rollout", "list", ...local])).out,
      new RegExp(`^${id}  northwind-support`),
    );

    const promoted = await cli(["rollout", "promote", id, ...local]);
    assert.match(promoted.out, /step 2\/2: 5% → \[50%\]/);
    assert.match(promoted.out, /promote \(step 1\) by cli:/);
    const aborted = await cli(["rollout", "abort", id, ...local]);
    assert.match(aborted.out, /state: {3}aborted/);
    const again = await cli(["rollout", "pause", id, ...local]);
    assert.equal(again.code, 1);
    assert.match(again.err, /^MS_ROLLOUT_STATE: rollout .* is aborted/);
  });

  it("kills and brings back an agent, refusing a bad fallback", async () => {
    const killed = await cli([
      "kill",
      "northwind-support",
      "--reason",
      "drill",
      "--fallback",
      "canned:Back soon",
      ...local,
    ]);
    assert.equal(killed.code, 0, killed.err);
    const bad = await cli([
      "kill",
      "northwind-support",
      "--reason",
      "x",
      "--fallback",
      "robot",
      ...local,
    ]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /--fallback: expected human/);
    const noReason = await cli(["kill", "northwind-support", ...local]);
    assert.match(noReason.err, /--reason is required/);
    assert.equal((await cli(["unkill", "northwind-support", ...local])).code, 0);
    const twice = await cli(["unkill", "northwind-support", ...local]);
    assert.match(twice.err, /^MS_NOT_FOUND: agent northwind-support is not killed/);
    const audit = await cli(["audit", "verify", ...local]);
    assert.equal(audit.code, 0, audit.err);
  });
});
