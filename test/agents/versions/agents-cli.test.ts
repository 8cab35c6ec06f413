import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import Fastify, { type FastifyInstance } from "fastify";
import { apiKeyring, requireApiKey } from "../../../src/api/auth/index.ts";
import { registerErrorHandling } from "../../../src/api/error-handler.ts";
import { agentRoutes } from "../../../src/api/routes/agents.ts";
import { ManualClock } from "../../../src/shared/clock.ts";
import { EXAMPLE_SECRETS, EXAMPLE_SECRETS_YAML } from "../../support/document-agent.ts";
import { runCliCaptured } from "../../support/run-cli.ts";
import { ADMIN_KEY, testConfigYaml } from "../../support/test-app.ts";
import { openTestService } from "../../support/test-service.ts";

const OPENAI = resolve("examples/agents/support-openai.yaml");
const ANTHROPIC = resolve("examples/agents/support-anthropic.yaml");

/** `mainstay agents ...` in-process, through the dispatcher. */
const agents = (argv: string[], env: NodeJS.ProcessEnv = {}) =>
  runCliCaptured(["agents", ...argv], env);

describe("mainstay agents", () => {
  const dir = mkdtempSync(join(tmpdir(), "mainstay-agents-cli-"));
  const config = join(dir, "mainstay.yaml");
  const local = ["--config", config];
  before(() =>
    writeFileSync(
      config,
      testConfigYaml({ dataDir: join(dir, "data"), extraYaml: EXAMPLE_SECRETS_YAML }),
    ),
  );
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("gives --help for itself and each subcommand", async () => {
    const top = await agents(["--help"]);
    assert.equal(top.code, 0);
    for (const name of ["push", "diff", "list", "activate"]) {
      assert.match(top.out, new RegExp(`^ {2}${name} `, "m"));
      const help = await agents([name, "--help"]);
      assert.equal(help.code, 0);
      assert.match(help.out, new RegExp(`^Usage: mainstay agents ${name} `));
    }
    const unknown = await agents(["frobnicate"]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /^MS_CLI_USAGE: unknown agents subcommand "frobnicate"/);
  });

  let openaiVersion: string;
  let anthropicVersion: string;

  it("pushes into the configured database, once per content", async () => {
    const first = await agents(["push", OPENAI, ...local]);
    assert.equal(first.code, 0, first.err);
    const match = /^northwind-support@(v_[0-9a-f]{12}) stored\n$/.exec(first.out);
    assert.ok(match, first.out);
    openaiVersion = match[1]!;
    const again = await agents(["push", OPENAI, ...local]);
    assert.match(again.out, new RegExp(`^northwind-support@${openaiVersion} already stored on `));
    anthropicVersion = (await agents(["push", ANTHROPIC, ...local])).out.split(/[@ ]/)[1]!;
    assert.notEqual(anthropicVersion, openaiVersion);
  });

  it("reports invalid files with file:line:column: field", async () => {
    const bad = join(dir, "bad.yaml");
    const text = readFileSync(OPENAI, "utf8").replace("method: GET", "method: FETCH");
    writeFileSync(bad, text);
    const line = text.split("\n").findIndex((l) => l.includes("method: FETCH")) + 1;
    const res = await agents(["push", bad, ...local]);
    assert.equal(res.code, 1);
    assert.match(
      res.err,
      new RegExp(`^MS_AGENT_INVALID: ${bad}:${line}:13: tools\\[0\\]\\.method: `),
    );
    const missing = await agents(["push", join(dir, "nope.yaml"), ...local]);
    assert.match(missing.err, /^MS_AGENT_INVALID: .*nope\.yaml: cannot read agent file/);
  });

  it("diffs files, stored versions, or one of each", async () => {
    const files = await agents(["diff", OPENAI, ANTHROPIC]);
    assert.equal(files.code, 0, files.err);
    assert.ok(files.out.startsWith(`--- ${OPENAI}\n+++ ${ANTHROPIC}\n`), files.out);
    assert.match(files.out, /^~ provider\.type: "openai-compatible" -> "anthropic"$/m);

    const a = `northwind-support@${openaiVersion}`;
    const b = `northwind-support@${anthropicVersion}`;
    const stored = await agents(["diff", a, b, ...local]);
    assert.equal(stored.code, 0, stored.err);
    assert.match(stored.out, /^~ provider\.type: "openai-compatible" -> "anthropic"$/m);
    const mixed = await agents(["diff", a, OPENAI, ...local]);
    assert.equal(mixed.out, `--- ${a}\n+++ ${OPENAI}\nno changes\n`);
  });

  it("lists and activates versions", async () => {
    const activated = await agents(["activate", `northwind-support@${openaiVersion}`, ...local]);
    assert.equal(activated.out, `northwind-support@${openaiVersion} is active\n`);
    const listed = await agents(["list", "northwind-support", ...local]);
    const rows = listed.out.trim().split("\n");
    assert.equal(rows.length, 3);
    assert.match(rows[0]!, /^VERSION +CREATED +ACTIVE$/);
    const active = rows.filter((r) => r.endsWith("*"));
    assert.deepEqual(active.length, 1);
    assert.ok(active[0]!.startsWith(openaiVersion));
    const unknown = await agents(["list", "nobody", ...local]);
    assert.match(unknown.err, /^MS_NOT_FOUND: agent nobody has no versions/);
  });

  describe("against a running server (--url)", () => {
    let server: FastifyInstance;
    let url: string;
    let close: () => Promise<void>;

    before(async () => {
      const service = await openTestService(new ManualClock());
      close = service.close;
      server = Fastify();
      registerErrorHandling(server);
      await server.register(async (api) => {
        api.addHook("onRequest", requireApiKey(apiKeyring(ADMIN_KEY, [])));
        await api.register(agentRoutes, {
          store: service.store,
          clock: new ManualClock(),
          secrets: Object.keys(EXAMPLE_SECRETS),
        });
      });
      url = await server.listen({ host: "127.0.0.1", port: 0 });
    });
    after(async () => {
      await server?.close();
      await close?.();
    });

    it("pushes and lists over HTTP with the admin key", async () => {
      const pushed = await agents(["push", OPENAI, "--url", url, "--key", ADMIN_KEY]);
      assert.equal(pushed.out, `northwind-support@${openaiVersion} stored\n`);
      const listed = await agents(["list", "northwind-support", "--url", url], {
        MAINSTAY_ADMIN_KEY: ADMIN_KEY,
      });
      assert.match(listed.out, new RegExp(`^${openaiVersion} `, "m"));
    });

    it("prints the server's error code", async () => {
      const wrongKey = await agents(["push", OPENAI, "--url", url, "--key", "nope"]);
      assert.equal(wrongKey.code, 1);
      assert.match(wrongKey.err, /^MS_UNAUTHORIZED: invalid API key/);
      const noKey = await agents(["push", OPENAI, "--url", url]);
      assert.match(noKey.err, /^MS_CLI_USAGE: --url needs the admin key/);
    });
  });
});
