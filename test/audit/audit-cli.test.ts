import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { cliActor } from "../../src/audit/index.ts";
import { openStore } from "../../src/store/index.ts";
import { EXAMPLE_SECRETS_YAML } from "../support/document-agent.ts";
import { runCliCaptured } from "../support/run-cli.ts";
import { testConfigYaml } from "../support/test-app.ts";

const OPENAI = resolve("examples/agents/support-openai.yaml");
const ANTHROPIC = resolve("examples/agents/support-anthropic.yaml");

describe("mainstay audit", () => {
  const dir = mkdtempSync(join(tmpdir(), "mainstay-audit-cli-"));
  const config = join(dir, "mainstay.yaml");
  const local = ["--config", config];
  const actor = cliActor(process.env);
  let head: string;
  before(() =>
    writeFileSync(
      config,
      testConfigYaml({ dataDir: join(dir, "data"), extraYaml: EXAMPLE_SECRETS_YAML }),
    ),
  );
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Change the configured SQLite database behind Mainstay's back. */
  async function tamper(sql: string) {
    const store = await openStore({ kind: "sqlite", file: join(dir, "data", "mainstay.db") });
    try {
      await store.db.run(sql);
    } finally {
      await store.close();
    }
  }

  it("gives --help for itself and each subcommand", async () => {
    const top = await runCliCaptured(["audit", "--help"]);
    assert.equal(top.code, 0);
    for (const name of ["verify", "list"]) {
      assert.match(top.out, new RegExp(`^ {2}${name} `, "m"));
      const help = await runCliCaptured(["audit", name, "--help"]);
      assert.match(help.out, new RegExp(`^Usage: mainstay audit ${name} `));
    }
    const unknown = await runCliCaptured(["audit", "frobnicate"]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /^MS_CLI_USAGE: unknown audit subcommand "frobnicate"/);
  });

  it("verifies an empty log", async () => {
    const res = await runCliCaptured(["audit", "verify", ...local]);
    assert.deepEqual(res, { code: 0, out: "ok: 0 entries\n", err: "" });
  });

  it("records what the agents command did, as cli:<user>", async () => {
    const pushed = await runCliCaptured(["agents", "push", OPENAI, ...local]);
    assert.equal(pushed.code, 0, pushed.err);
    const ref = pushed.out.split(" ")[0]!;
    const activated = await runCliCaptured(["agents", "activate", ref, ...local]);
    assert.equal(activated.code, 0, activated.err);
    assert.match(actor, /^cli:.+/);

    const listed = await runCliCaptured(["audit", "list", ...local]);
    assert.equal(listed.code, 0, listed.err);
    const rows = listed.out
      .trim()
      .split("\n")
      .map((line) => line.split("\t"));
    const version = ref.split("@")[1];
    assert.deepEqual(
      rows.map(([seq, , who, action, target, data]) => [seq, who, action, target, data]),
      [
        [
          "2",
          actor,
          "agent.version.activate",
          "northwind-support",
          `{"version":"${version}","previous":null}`,
        ],
        ["1", actor, "agent.version.push", "northwind-support", `{"version":"${version}"}`],
      ],
    );
    const filtered = await runCliCaptured([
      "audit",
      "list",
      "--action",
      "agent.version.push",
      "--limit",
      "5",
      ...local,
    ]);
    assert.equal(filtered.out.trim().split("\n").length, 1);
    const badLimit = await runCliCaptured(["audit", "list", "--limit", "0", ...local]);
    assert.match(badLimit.err, /^MS_BAD_REQUEST: query\.limit: /);

    const verified = await runCliCaptured(["audit", "verify", ...local]);
    assert.equal(verified.code, 0, verified.err);
    assert.match(verified.out, /^ok: 2 entries, head 2:[0-9a-f]{64}\n$/);
    head = verified.out.trim().split(" ").at(-1)!;
    const again = await runCliCaptured(["audit", "verify", "--head", head, ...local]);
    assert.equal(again.code, 0, again.err);
    const badHead = await runCliCaptured(["audit", "verify", "--head", "2", ...local]);
    assert.match(badHead.err, /^MS_BAD_REQUEST: --head: expected SEQ:HASH/);
  });

  it("exits 1 when a kept head is gone", async () => {
    await tamper("DELETE FROM audit_log WHERE seq = 2");
    const plain = await runCliCaptured(["audit", "verify", ...local]);
    assert.equal(plain.code, 0);
    const res = await runCliCaptured(["audit", "verify", "--head", head, ...local]);
    assert.equal(res.code, 1);
    assert.match(res.err, /first bad entry 2: entry 2 of the known head is missing/);
  });

  it("exits 1 and names the first bad entry when the log was changed", async () => {
    await tamper(`UPDATE audit_log SET data = '{"version":"v_000000000000"}' WHERE seq = 1`);
    const edited = await runCliCaptured(["audit", "verify", ...local]);
    assert.equal(edited.code, 1);
    assert.equal(edited.out, "");
    assert.equal(
      edited.err,
      "audit log tampered with: first bad entry 1: entry 1 was altered: its hash does not match its contents\n",
    );

    await runCliCaptured(["agents", "push", ANTHROPIC, ...local]);
    await tamper("DELETE FROM audit_log WHERE seq = 1");
    const removed = await runCliCaptured(["audit", "verify", ...local]);
    assert.equal(removed.code, 1);
    assert.match(
      removed.err,
      /first bad entry 2: entry 2 is the first entry but its prev_hash is not the genesis hash/,
    );
  });
});
