import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { apiKeyring, minimumRole } from "../../src/api/auth/index.ts";
import { resolveAdminKey } from "../../src/api/index.ts";
import { parseConfigText } from "../../src/config/index.ts";
import { isMainstayError } from "../../src/shared/errors.ts";
import { bearer, KEYS, startKeyedApp } from "../audit/start-keyed-app.ts";
import { ADMIN_KEY, testConfigYaml } from "../support/test-app.ts";

describe("role rules", () => {
  it("lets a viewer read, an agent answer customers, and keeps the rest for admins", () => {
    const cases: [string, string, string][] = [
      ["GET", "/api/v1/conversations", "viewer"],
      ["GET", "/api/v1/agents/:id/versions/:version", "viewer"],
      ["HEAD", "/api/v1/audit", "viewer"],
      ["GET", "/api/v1/console-sessions", "admin"],
      ["DELETE", "/api/v1/console-sessions/:id", "admin"],
      ["DELETE", "/api/v1/console-sessions", "admin"],
      ["POST", "/api/v1/conversations/:id/messages", "agent"],
      ["POST", "/api/v1/conversations/:id/handback", "agent"],
      ["POST", "/api/v1/conversations/:id/handoff", "agent"],
      ["POST", "/api/v1/conversations/:id/feedback", "agent"],
      ["POST", "/api/v1/agents/:id/activate", "admin"],
      ["POST", "/api/v1/guard", "viewer"],
      ["POST", "/api/v1/guard/tests/run", "viewer"],
      ["POST", "/api/v1/rollouts", "admin"],
      ["POST", "/api/v1/agents/:id/kill", "admin"],
      ["POST", "/api/v1/events", "admin"],
      // Routes nobody listed yet are admin-only.
      ["POST", "/api/v1/conversations/:id/archive", "admin"],
      ["DELETE", "/api/v1/conversations/:id", "admin"],
      ["PUT", "/api/v1/anything", "admin"],
    ];
    for (const [method, route, role] of cases) {
      assert.equal(minimumRole(method, route), role, `${method} ${route}`);
    }
  });
});

describe("MAINSTAY_ADMIN_KEY", () => {
  it("must be long enough and sendable as a bearer token", () => {
    const resolve = (key: string) => () =>
      resolveAdminKey({ MAINSTAY_ADMIN_KEY: key }, "/nonexistent", () => {});
    assert.throws(resolve("short"), { code: "MS_ADMIN_KEY_WEAK", message: /16 characters/ });
    assert.throws(resolve("long enough but with spaces"), {
      code: "MS_ADMIN_KEY_WEAK",
      message: /^MAINSTAY_ADMIN_KEY: sent as `Authorization: Bearer <key>`/,
    });
    assert.equal(resolve(ADMIN_KEY)(), ADMIN_KEY);
  });
});

describe("API keyring", () => {
  it("names the admin key admin and each configured key by its name", () => {
    const keyring = apiKeyring(ADMIN_KEY, Object.values(KEYS));
    assert.deepEqual(keyring.identify(ADMIN_KEY), { name: "admin", role: "admin" });
    assert.deepEqual(keyring.identify(KEYS.agent.key), { name: "ada", role: "agent" });
    assert.equal(keyring.identify(`${KEYS.agent.key}x`), undefined);
    assert.equal(keyring.identify(""), undefined);
  });

  it("refuses a configured key equal to the admin key", () => {
    assert.throws(() => apiKeyring(ADMIN_KEY, [{ name: "x", key: ADMIN_KEY, role: "viewer" }]), {
      code: "MS_CONFIG_INVALID",
      message: /^server\.apiKeys\[0\]\.key: is the admin key/,
    });
  });
});

describe("server.apiKeys in the config", () => {
  const withKeys = (keys: string, env: NodeJS.ProcessEnv = {}) =>
    parseConfigText(
      testConfigYaml({ dataDir: "/tmp/unused" }).replace(
        /^server: .*$/m,
        `server:\n  port: 0\n  apiKeys:\n${keys}`,
      ),
      "/etc/mainstay.yaml",
      env,
    );
  const problem = (keys: string) => {
    try {
      withKeys(keys);
    } catch (e) {
      assert.ok(isMainstayError(e) && e.code === "MS_CONFIG_INVALID", String(e));
      return e.message;
    }
    assert.fail("expected the config to be rejected");
  };

  it("reads keys from the environment", () => {
    const { config } = withKeys(`    - { name: console, key: '\${CONSOLE_KEY}', role: viewer }`, {
      CONSOLE_KEY: KEYS.viewer.key,
    });
    assert.deepEqual(config.server.apiKeys, [
      { name: "console", key: KEYS.viewer.key, role: "viewer" },
    ]);
  });

  it("names the field of each problem", () => {
    assert.match(
      problem("    - { name: a, key: short, role: viewer }"),
      /server\.apiKeys\[0\]\.key: use at least 24 characters/,
    );
    assert.match(
      problem(`    - { name: a, key: ${KEYS.viewer.key}, role: owner }`),
      /server\.apiKeys\[0\]\.role: /,
    );
    // It could never be sent: `Authorization: Bearer` carries token68 characters only.
    assert.match(
      problem(`    - { name: a, key: "${KEYS.viewer.key} x", role: viewer }`),
      /server\.apiKeys\[0\]\.key: sent as `Authorization: Bearer <key>`: letters, digits/,
    );
    assert.match(
      problem(
        `    - { name: a, key: ${KEYS.viewer.key}, role: viewer }\n    - { name: a, key: ${KEYS.agent.key}, role: agent }`,
      ),
      /server\.apiKeys\[1\]\.name: duplicate name "a"/,
    );
    assert.match(
      problem(
        `    - { name: a, key: ${KEYS.viewer.key}, role: viewer }\n    - { name: b, key: ${KEYS.viewer.key}, role: agent }`,
      ),
      /server\.apiKeys\[1\]\.key: same key as another entry/,
    );
    assert.match(
      problem(`    - { name: admin, key: ${KEYS.viewer.key}, role: viewer }`),
      /server\.apiKeys\[0\]\.name: "admin" names the admin key/,
    );
  });
});

describe("roles enforced by the API", () => {
  let app: Awaited<ReturnType<typeof startKeyedApp>>;
  let conversationId: string;
  let version: string;
  const push = (key: string) =>
    app.app.inject({
      method: "POST",
      url: "/api/v1/agents/northwind-support/versions",
      headers: bearer(key),
      payload: {
        document: `id: northwind-support
provider: { type: anthropic, model: claude-sonnet-4-5 }
systemPrompt: You help customers.
`,
      },
    });
  const activate = (key: string) =>
    app.app.inject({
      method: "POST",
      url: "/api/v1/agents/northwind-support/activate",
      headers: bearer(key),
      payload: { version },
    });

  before(async () => {
    app = await startKeyedApp();
    const now = Date.now();
    conversationId = await app.store.transaction(async (tx) => {
      const identity = await tx.contacts.resolveIdentity("generic", "+15550123", "Ann", now);
      const conversation = await tx.conversations.create(
        {
          contactId: identity.contactId,
          identityId: identity.id,
          channelId: "api",
          channelType: "generic",
          agentId: "support",
          agentVersion: "1",
        },
        now,
      );
      return conversation.id;
    });
  });
  after(() => app?.dispose());

  it("answers 401 without a key or with an unknown one", async () => {
    const none = await app.app.inject({ url: "/api/v1/conversations" });
    assert.equal(none.statusCode, 401);
    assert.match(none.json().error.message, /Authorization: Bearer <API key>/);
    const wrong = await app.app.inject({
      url: "/api/v1/conversations",
      headers: bearer("no-such-key-0123456789abcdef"),
    });
    assert.deepEqual(wrong.json(), {
      error: { code: "MS_UNAUTHORIZED", message: "invalid API key" },
    });
  });

  it("lets a viewer read but not write", async () => {
    const list = await app.app.inject({
      url: "/api/v1/conversations",
      headers: bearer(KEYS.viewer.key),
    });
    assert.equal(list.statusCode, 200);
    const reply = await app.app.inject({
      method: "POST",
      url: `/api/v1/conversations/${conversationId}/messages`,
      headers: bearer(KEYS.viewer.key),
      payload: { text: "Hello from a viewer" },
    });
    assert.equal(reply.statusCode, 403);
    assert.deepEqual(reply.json().error, {
      code: "MS_FORBIDDEN",
      message:
        'POST /api/v1/conversations/:id/messages needs the agent role; key "dashboard" has the viewer role',
    });
  });

  it("lets an agent reply and hand back, but not push or activate versions", async () => {
    const reply = await app.app.inject({
      method: "POST",
      url: `/api/v1/conversations/${conversationId}/messages`,
      headers: bearer(KEYS.agent.key),
      payload: { text: "Hi, Ada here." },
    });
    assert.equal(reply.statusCode, 202, reply.body);
    const handback = await app.app.inject({
      method: "POST",
      url: `/api/v1/conversations/${conversationId}/handback`,
      headers: bearer(KEYS.agent.key),
    });
    assert.equal(handback.statusCode, 200, handback.body);
    const pushed = await push(KEYS.agent.key);
    assert.equal(pushed.statusCode, 403);
    assert.match(pushed.json().error.message, /needs the admin role; key "ada" has the agent role/);
  });

  it("lets an admin key and the admin key push and activate", async () => {
    const pushed = await push(KEYS.admin.key);
    assert.equal(pushed.statusCode, 201, pushed.body);
    version = pushed.json().version;
    const denied = await activate(KEYS.agent.key);
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.json().error.code, "MS_FORBIDDEN");
    assert.equal((await activate(KEYS.admin.key)).statusCode, 200);
    assert.equal((await activate(ADMIN_KEY)).statusCode, 200);
  });
});
