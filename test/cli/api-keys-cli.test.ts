import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { cliActor } from "../../src/audit/index.ts";
import { runCliCaptured } from "../support/run-cli.ts";
import { testConfigYaml } from "../support/test-app.ts";

describe("mainstay api-keys", () => {
  const dir = mkdtempSync(join(tmpdir(), "mainstay-keys-cli-"));
  const config = join(dir, "mainstay.yaml");
  const local = ["--config", config];
  before(() => writeFileSync(config, testConfigYaml({ dataDir: join(dir, "data") })));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("creates, lists, rotates and revokes on the configured database", async () => {
    const created = await runCliCaptured([
      "api-keys",
      "create",
      "nightly-export",
      "--role",
      "viewer",
      "--channels",
      "api, web",
      ...local,
    ]);
    assert.equal(created.code, 0, created.err);
    const [, id, token] = created.out.match(/^(key_\S+) nightly-export\ntoken: (msk_\S+)\n$/)!;
    assert.ok(id && token);

    const listed = await runCliCaptured(["api-keys", "list", "--json", ...local]);
    const [key] = JSON.parse(listed.out);
    assert.deepEqual(
      [key.id, key.role, key.status, key.createdBy, key.scopes],
      [id, "viewer", "live", cliActor(process.env), { channels: ["api", "web"] }],
    );

    const rotated = await runCliCaptured(["api-keys", "rotate", id!, ...local]);
    assert.equal(rotated.code, 0, rotated.err);
    assert.doesNotMatch(rotated.out, new RegExp(token!));
    assert.equal(
      (await runCliCaptured(["api-keys", "revoke", id!, ...local])).out,
      `${id} revoked\n`,
    );
    const table = await runCliCaptured(["api-keys", "list", ...local]);
    assert.match(table.out, new RegExp(`^${id}\tnightly-export\tviewer\trevoked\tnever\n$`));
  });

  it("reports bad input with stable codes", async () => {
    const noRole = await runCliCaptured(["api-keys", "create", "x", ...local]);
    assert.match(noRole.err, /^MS_CLI_USAGE: --role is required/);
    const badRole = await runCliCaptured(["api-keys", "create", "x", "--role", "root", ...local]);
    assert.match(badRole.err, /^MS_BAD_REQUEST: body\.role: /);
    const missing = await runCliCaptured(["api-keys", "revoke", "key_nope", ...local]);
    assert.match(missing.err, /^MS_NOT_FOUND: /);
  });
});
