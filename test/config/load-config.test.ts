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

  it("uses the default after :- when the variable is unset", () => {
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

  it("reads secrets from the environment, by a name documents can write", () => {
    const text = `${base}secrets:\n  openai: \${OPENAI_API_KEY}\n  orders-api: \${ORDERS_TOKEN:-}\n`;
    const { config } = parseConfigText(text, "/etc/mainstay.yaml", {
      SECRET: "s".repeat(20),
      OPENAI_API_KEY: "sk-1",
    });
    assert.deepEqual(config.secrets, { openai: "sk-1", "orders-api": "" });
    assert.equal(
      problems(`${base}secrets: { OPENAI_API_KEY: x }\n`, { SECRET: "s".repeat(20) }),
      "/etc/mainstay.yaml:9:28: secrets.OPENAI_API_KEY: a secret's name: lowercase letters, digits, - and _ (documents write it as is)",
    );
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

  it("loads the all-channels example from the documented environment variables", () => {
    const file = resolve(import.meta.dirname, "../../examples/all-channels.yaml");
    const env = {
      MAINSTAY_PUBLIC_URL: "https://support.example.com",
      TWILIO_ACCOUNT_SID: "AC0123456789abcdef0123456789abcdef",
      TWILIO_AUTH_TOKEN: "token",
      TWILIO_FROM: "+15005550006",
      WHATSAPP_APP_SECRET: "secret",
      WHATSAPP_VERIFY_TOKEN: "verify",
      WHATSAPP_ACCESS_TOKEN: "access",
      WHATSAPP_PHONE_NUMBER_ID: "106540352242922",
      SINCH_PROJECT_ID: "p",
      SINCH_APP_ID: "a",
      SINCH_KEY_ID: "k",
      SINCH_KEY_SECRET: "s",
      SINCH_WEBHOOK_SECRET: "w",
      SMTP_URL: "smtp://user:pass@127.0.0.1:2525",
      EMAIL_FROM: "Support <support@example.com>",
      EMAIL_INBOUND_SECRET: "inbound-secret-0123456789",
      TELEGRAM_BOT_TOKEN: "7012345678:AAH3kq9P-x_y",
      TELEGRAM_SECRET_TOKEN: "telegram-secret-0123456789",
      MAINSTAY_API_CHANNEL_SECRET: "api-secret-0123456789",
    };
    const { config } = loadConfigFile(file, env);
    assert.deepEqual(
      config.channels.map((c) => `${c.id}:${c.type}`),
      [
        "twilio:twilio",
        "whatsapp:whatsapp",
        "sinch:sinch",
        "email:email",
        "telegram:telegram",
        "web:webchat",
        "api:generic",
      ],
    );
    assert.equal(config.server.publicUrl, "https://support.example.com");
    const { TWILIO_AUTH_TOKEN: _, ...missing } = env;
    assert.throws(
      () => loadConfigFile(file, missing),
      /all-channels\.yaml:\d+:\d+: channels\[0\]\.authToken: environment variable TWILIO_AUTH_TOKEN is not set/,
    );
  });

  it("reports a missing file with its own code", () => {
    assert.throws(
      () => loadConfigFile("/nonexistent/mainstay.yaml"),
      (e: unknown) => e instanceof MainstayError && e.code === "MS_CONFIG_NOT_FOUND",
    );
  });
});

describe("YAML syntax errors", () => {
  it("shows the first one with how many followed, and why a ${VAR} in braces breaks", () => {
    const message = problems("server: { port: ${PORT}, host: 127.0.0.1 }\nagent: {}\n");
    const lines = message.split("\n");
    assert.equal(lines.length, 1, message);
    assert.match(lines[0]!, /mainstay\.yaml:1:\d+: .*quote a \$\{VAR\}: "\$\{VAR\}"/);
    assert.match(lines[0]!, /\d+ more syntax errors follow from here/);
  });
});
