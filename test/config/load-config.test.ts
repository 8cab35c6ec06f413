import assert from "node:assert/strict";
import { resolve } from "node:path";
import { describe, it } from "node:test";
import { loadConfigFile, parseConfigText } from "../../src/config/index.ts";
import { MainstayError } from "../../src/shared/errors.ts";

const EXAMPLE = resolve(import.meta.dirname, "../../examples/mainstay.yaml");

function problems(text: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    parseConfigText(text, "/etc/mainstay.yaml", env);
  } catch (e) {
    assert.ok(e instanceof MainstayError);
    assert.equal(e.code, "MS_CONFIG_INVALID");
    return e.message;
  }
  assert.fail("expected the config to be rejected");
}

const base = `agent:
  id: support
  type: builtin
  knowledgeDir: ./kb
channels:
  - id: api
    type: generic
    secret: \${SECRET}
`;

describe("config loading", () => {
  it("loads the example with defaults and interpolation", () => {
    const { config } = loadConfigFile(EXAMPLE, { MAINSTAY_API_CHANNEL_SECRET: "s".repeat(20) });
    assert.equal(config.server.port, 3000);
    assert.equal(config.storage.dataDir, "./data");
    assert.equal(config.outbox.maxAttempts, 12);
    const api = config.channels.find((c) => c.id === "api");
    assert.equal(api?.type === "generic" && api.secret, "s".repeat(20));
  });

  it("turns an interpolated number into a number", () => {
    assert.equal(loadConfigFile(EXAMPLE, { PORT: "8080" }).config.server.port, 8080);
    assert.match(
      problems(`${base}server: { port: "\${PORT}" }\n`, { SECRET: "x".repeat(16), PORT: "http" }),
      /server\.port: Invalid input: expected number, received string/,
    );
  });

  it("uses ${VAR:-default} when the variable is unset", () => {
    const { config } = loadConfigFile(EXAMPLE, {});
    const api = config.channels.find((c) => c.id === "api");
    assert.equal(api?.type === "generic" && api.secret, "local-dev-secret-change-me");
  });

  it("names the file, line and field of a missing environment variable", () => {
    assert.equal(
      problems(base),
      "/etc/mainstay.yaml:8:13: channels[0].secret: environment variable SECRET is not set (referenced by channels[0].secret)",
    );
  });

  it("names the file, line and field of every schema problem", () => {
    const text = `${base}server:\n  port: 99999\n  colour: blue\n`;
    const message = problems(text, { SECRET: "short" });
    assert.match(
      message,
      /\/etc\/mainstay.yaml:8:13: channels\[0\]\.secret: use at least 16 characters/,
    );
    assert.match(message, /\/etc\/mainstay.yaml:10:9: server\.port: .*65535/);
    assert.match(message, /\/etc\/mainstay.yaml:11:11: server\.colour: Unrecognized key: "colour"/);
  });

  it("reports unknown channel types, duplicate ids and YAML syntax errors", () => {
    const env = { SECRET: "x".repeat(16) };
    assert.match(
      problems(`${base}  - { id: x, type: fax }\n`, env),
      /:9:20: channels\[1\]\.type: Invalid discriminator value. Expected 'generic' \| 'webchat'/,
    );
    assert.match(
      problems(`${base}  - { id: api, type: webchat }\n`, env),
      /:9:11: channels\[1\]\.id: duplicate channel id "api"/,
    );
    assert.match(problems("agent: [unclosed\n"), /^\/etc\/mainstay.yaml:\d+:\d+: /);
    assert.match(problems("- just\n- a list\n"), /expected a YAML mapping/);
  });

  it("reports a missing file with its own code", () => {
    assert.throws(
      () => loadConfigFile("/nonexistent/mainstay.yaml"),
      (e: unknown) => e instanceof MainstayError && e.code === "MS_CONFIG_NOT_FOUND",
    );
  });
});
