import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, describe, it } from "node:test";
import { parseConfigText } from "../../src/config/index.ts";
import { MainstayError } from "../../src/shared/errors.ts";
import { runCliCaptured } from "../support/run-cli.ts";

const KNOWLEDGE = resolve(import.meta.dirname, "../../examples/knowledge");

/** The message lines of the MS_CONFIG_INVALID `parseConfigText` throws for `text`. */
function problems(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfigText(text, "/etc/mainstay.yaml", env);
  } catch (e) {
    assert.ok(e instanceof MainstayError, String(e));
    assert.equal(e.code, "MS_CONFIG_INVALID");
    return e.message.split("\n");
  }
  assert.fail("expected the config to be rejected");
}

describe("config problems in one pass", () => {
  it("reports every unset variable at its reference, not only the first", () => {
    const lines = problems(
      [
        "agent: { id: a, type: builtin, knowledgeDir: ./kb }",
        "channels:",
        "  - id: api",
        "    type: generic",
        `    secret: \${API_SECRET}`,
        `    callbackUrl: https://\${CALLBACK_HOST}/replies/\${CALLBACK_PATH}`,
        "",
      ].join("\n"),
    );
    assert.deepEqual(lines, [
      "/etc/mainstay.yaml:5:13: channels[0].secret: environment variable API_SECRET is not set (referenced by channels[0].secret)",
      "/etc/mainstay.yaml:6:26: channels[0].callbackUrl: environment variable CALLBACK_HOST is not set (referenced by channels[0].callbackUrl)",
      "/etc/mainstay.yaml:6:51: channels[0].callbackUrl: environment variable CALLBACK_PATH is not set (referenced by channels[0].callbackUrl)",
    ]);
  });

  it("checks the rest of the file when a variable is unset, but not that field", () => {
    const lines = problems(
      [
        "server:",
        `  port: \${PORT}`,
        "  colour: blue",
        "agent: { id: Bad, type: builtin, knowledgeDir: ./kb, threshhold: 0.4 }",
        "channels:",
        "  - { id: web, type: webchat }",
        "  - { id: web, type: webchat }",
        "outbox: { maxAttempts: 0 }",
        "",
      ].join("\n"),
    );
    // The unset PORT is reported once: not also as "expected number".
    assert.equal(lines.filter((l) => l.includes("server.port")).length, 1);
    assert.deepEqual(
      lines.map((l) => l.replace(/: .*?: /, ": ").slice(0, 90)),
      [
        "/etc/mainstay.yaml:2:9: environment variable PORT is not set (referenced by server.port)",
        '/etc/mainstay.yaml:3:11: Unrecognized key: "colour"',
        "/etc/mainstay.yaml:4:14: lowercase letters, digits, - and _",
        '/etc/mainstay.yaml:4:66: Unrecognized key: "threshhold" (did you mean "threshold"?)',
        '/etc/mainstay.yaml:7:11: duplicate channel id "web" (the proxy\'s channelId counts too)',
        "/etc/mainstay.yaml:8:24: Too small: expected number to be >=1",
      ],
    );
  });

  it("runs the cross-field checks even when other fields are wrong", () => {
    const lines = problems(
      [
        "server: { port: nope }",
        "agent: { id: a, type: builtin, knowledgeDir: ./kb }",
        "proxy: { channelId: web }",
        "channels: [{ id: web, type: webchat }]",
        "policies: { rules: [{ id: x, detector: pii, action: shout }] }",
        "",
      ].join("\n"),
    );
    assert.ok(
      lines.some((l) => l.includes("server.port: ")),
      lines.join("\n"),
    );
    assert.ok(
      lines.some((l) => l.includes('duplicate channel id "web"')),
      lines.join("\n"),
    );
    assert.ok(
      lines.some((l) => l.includes("policies.rules[0].action")),
      lines.join("\n"),
    );
  });

  it("names one problem per unknown key, each with its closest known key", () => {
    const lines = problems(
      "agent: { id: a, type: builtin, knowledgeDir: ./kb, knowledgedir: x, vresion: '2', zzz: 1 }\nchannels: [{ id: web, type: webchat }]\n",
    );
    assert.deepEqual(
      lines.map((l) => l.replace(/^\/etc\/mainstay.yaml:\d+:\d+: /, "")),
      [
        'agent.knowledgedir: Unrecognized key: "knowledgedir" (did you mean "knowledgeDir"?)',
        'agent.vresion: Unrecognized key: "vresion" (did you mean "version"?)',
        'agent.zzz: Unrecognized key: "zzz"',
      ],
    );
  });
});

describe("mainstay validate and start: one list for the config and every file it names", () => {
  const dir = mkdtempSync(join(tmpdir(), "mainstay-one-pass-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, "kb"));
  writeFileSync(join(dir, "kb", "faq.md"), "# FAQ\n\n## Hours?\n\nNine to five.\n");
  writeFileSync(
    join(dir, "policy.yaml"),
    "rules:\n  - id: x\n    detector: pii\n    action: shout\n",
  );
  writeFileSync(
    join(dir, "agent.yaml"),
    [
      "id: support",
      `provider: { type: openai-compatible, model: m, baseUrl: '\${LLM_URL}', apiKeySecret: opena }`,
      "systemPrompt: Hello {{name}}",
      "knowledgeDir: ./no-such-kb",
      "policy: ./policy.yaml",
      "limits: { maxTokens: 0, temprature: 1 }",
      "",
    ].join("\n"),
  );
  const config = join(dir, "mainstay.yaml");
  writeFileSync(
    config,
    [
      "server:",
      `  port: \${PORT}`,
      `storage: { dataDir: ${join(dir, "data")} }`,
      "settings: { LLM_URL: 'not a url' }",
      "secrets: { openai: sk-test }",
      "agent: { type: document, file: ./agent.yaml }",
      "policies: ./no-such-policy.yaml",
      "channels:",
      "  - { id: web, type: webchat, threshhold: 1 }",
      "",
    ].join("\n"),
  );
  const expected = [
    `MS_CONFIG_INVALID: ${dir}/agent.yaml:2:57: provider.baseUrl: Invalid URL (\${LLM_URL} is "not a url")`,
    `${dir}/agent.yaml:2:85: provider.apiKeySecret: secret "opena" is not declared under secrets: in mainstay.yaml (declared secrets: openai)`,
    `${dir}/agent.yaml:3:15: systemPrompt: unknown placeholder {{name}}: declare it under variables`,
    `${dir}/agent.yaml:4:15: knowledgeDir: ${dir}/no-such-kb: cannot read the knowledge folder`,
    `${dir}/agent.yaml:6:22: limits.maxTokens: Too small: expected number to be >=1`,
    `${dir}/agent.yaml:6:37: limits.temprature: Unrecognized key: "temprature" (did you mean "temperature"?)`,
    `${dir}/mainstay.yaml:2:9: server.port: environment variable PORT is not set (referenced by server.port)`,
    `${dir}/mainstay.yaml:7:11: policies: ${dir}/no-such-policy.yaml: cannot read policy file`,
    `${dir}/mainstay.yaml:9:43: channels[0].threshhold: Unrecognized key: "threshhold"`,
    `${dir}/policy.yaml:4:13: rules.0.action: `,
  ];

  /** Each line of `err` cut to the length of the expected line it is compared with. */
  const cut = (err: string) =>
    err
      .trimEnd()
      .split("\n")
      .map((line, i) => line.slice(0, expected[i]?.length ?? line.length));

  it("validate lists every problem of every stage, sorted by file and line", async () => {
    const run = await runCliCaptured(["validate", "-c", config]);
    assert.equal(run.code, 1);
    assert.deepEqual(cut(run.err), expected);
  });

  it("start prints the same list and opens nothing", async () => {
    const run = await runCliCaptured(["start", "-c", config, "--port", "0"]);
    assert.equal(run.code, 1);
    assert.deepEqual(cut(run.err), expected);
    assert.equal(existsSync(join(dir, "data")), false, "the data folder was created");
  });

  it("keeps the code of a single kind of problem", async () => {
    const builtin = join(dir, "builtin.yaml");
    writeFileSync(
      builtin,
      `agent: { id: a, type: builtin, knowledgeDir: ${KNOWLEDGE} }\nchannels: [{ id: web, type: webchat }]\npolicies: ./policy.yaml\n`,
    );
    const run = await runCliCaptured(["validate", "-c", builtin]);
    assert.equal(run.code, 1);
    assert.match(run.err, /^MS_POLICY_INVALID: .*policy\.yaml:4:13: rules\.0\.action/);
  });
});
