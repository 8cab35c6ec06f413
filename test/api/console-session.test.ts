import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { FastifyRequest } from "fastify";
import pino from "pino";
import { apiKeyring } from "../../src/api/auth/index.ts";
import { SESSION_TTL_MS, SessionStore } from "../../src/api/console/index.ts";
import { sessionCookieOptions } from "../../src/api/console/session-cookie.ts";
import { parseConfigText } from "../../src/config/index.ts";
import { type Mainstay, startMainstay } from "../../src/main.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { KEYS } from "../audit/start-keyed-app.ts";
import { backends, openBackendStore } from "../support/backends.ts";
import {
  ADMIN_KEY,
  auth,
  queueDrained,
  signedWebhook,
  testConfigYaml,
} from "../support/test-app.ts";

/** The whole server with one key per role and the console served from `dist`. */
async function startConsoleApp(options: { dist: string; clock?: ManualClock; extraYaml?: string }) {
  const dataDir = mkdtempSync(join(tmpdir(), "mainstay-console-"));
  const loaded = parseConfigText(
    testConfigYaml({ dataDir, extraYaml: options.extraYaml }),
    join(dataDir, "mainstay.yaml"),
  );
  const server = { ...loaded.config.server, apiKeys: Object.values(KEYS) };
  const app = await startMainstay(
    { ...loaded, config: { ...loaded.config, server } },
    {
      env: { MAINSTAY_ADMIN_KEY: ADMIN_KEY },
      logger: pino({ level: process.env["TEST_LOG_LEVEL"] ?? "silent" }),
      consoleDist: options.dist,
      clock: options.clock,
    },
  );
  return {
    ...app,
    async dispose() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Sign in with `key`; the cookie to send back and the CSRF token. */
async function signIn(app: Mainstay, key: string) {
  const res = await app.app.inject({ method: "POST", url: "/console/session", payload: { key } });
  assert.equal(res.statusCode, 200, res.body);
  const setCookie = String(res.headers["set-cookie"]);
  return {
    body: res.json() as { id: string; name: string; role: string; csrfToken: string },
    setCookie,
    cookie: setCookie.split(";")[0]!,
  };
}

describe("console sessions and cookie authentication", () => {
  const dist = mkdtempSync(join(tmpdir(), "mainstay-dist-"));
  const clock = new ManualClock();
  let app: Awaited<ReturnType<typeof startConsoleApp>>;

  before(async () => {
    app = await startConsoleApp({ dist, clock });
  });
  after(async () => {
    await app?.dispose();
    rmSync(dist, { recursive: true, force: true });
  });

  it("signs in with an API key: name, role, CSRF token and a strict HttpOnly cookie", async () => {
    const { body, setCookie } = await signIn(app, KEYS.agent.key);
    assert.equal(body.name, "ada");
    assert.equal(body.role, "agent");
    assert.match(body.csrfToken, /^[A-Za-z0-9_-]{43}$/);
    assert.match(setCookie, /^mainstay_session=[A-Za-z0-9_-]{43}; /);
    for (const flag of ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"]) {
      assert.ok(setCookie.includes(flag), `${flag} in ${setCookie}`);
    }
    assert.ok(!setCookie.includes("Secure"), "plain http: no Secure flag");
  });

  it("marks the cookie Secure when the browser came over https", () => {
    // `request.protocol` comes from the TLS socket, which inject cannot fake.
    const https = sessionCookieOptions({ protocol: "https" } as FastifyRequest, SESSION_TTL_MS);
    assert.equal(https.secure, true);
  });

  it("refuses a wrong key with 401 MS_UNAUTHORIZED and sets no cookie", async () => {
    const res = await app.app.inject({
      method: "POST",
      url: "/console/session",
      payload: { key: "not-a-key-at-all-0123456789" },
    });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error.code, "MS_UNAUTHORIZED");
    assert.equal(res.headers["set-cookie"], undefined);
    const empty = await app.app.inject({ method: "POST", url: "/console/session", payload: {} });
    assert.equal(empty.statusCode, 400);
  });

  it("answers GET /console/session while signed in, 401 after sign-out", async () => {
    const { body, cookie } = await signIn(app, KEYS.viewer.key);
    const who = await app.app.inject({ url: "/console/session", headers: { cookie } });
    assert.equal(who.statusCode, 200);
    assert.deepEqual(who.json(), body);

    const out = await app.app.inject({
      method: "DELETE",
      url: "/console/session",
      headers: { cookie },
    });
    assert.equal(out.statusCode, 204);
    assert.match(String(out.headers["set-cookie"]), /^mainstay_session=; .*Max-Age=0/);
    const gone = await app.app.inject({ url: "/console/session", headers: { cookie } });
    assert.equal(gone.statusCode, 401);
    assert.equal(gone.json().error.code, "MS_UNAUTHORIZED");
    const api = await app.app.inject({ url: "/api/v1/conversations", headers: { cookie } });
    assert.equal(api.statusCode, 401);
  });

  it("lets the cookie read the API without a Bearer header", async () => {
    const { cookie } = await signIn(app, KEYS.viewer.key);
    const res = await app.app.inject({ url: "/api/v1/conversations", headers: { cookie } });
    assert.equal(res.statusCode, 200, res.body);
    assert.ok(Array.isArray(res.json().data));
    const none = await app.app.inject({ url: "/api/v1/conversations" });
    assert.equal(none.statusCode, 401);
    const forged = await app.app.inject({
      url: "/api/v1/conversations",
      headers: { cookie: "mainstay_session=forged" },
    });
    assert.equal(forged.statusCode, 401);
  });

  it("refuses a cookie-authenticated write without the right CSRF token (403 MS_CSRF)", async () => {
    const { body, cookie } = await signIn(app, KEYS.agent.key);
    const conversation = await customerConversation("+15557100");
    await queueDrained(app.store);
    const reply = (headers: Record<string, string>) =>
      app.app.inject({
        method: "POST",
        url: `/api/v1/conversations/${conversation}/messages`,
        headers: { cookie, ...headers },
        payload: { text: "Hello from the console", agentName: "Ada" },
      });
    const missing = await reply({});
    assert.equal(missing.statusCode, 403);
    assert.equal(missing.json().error.code, "MS_CSRF");
    const wrong = await reply({ "x-csrf-token": `${body.csrfToken.slice(1)}x` });
    assert.equal(wrong.statusCode, 403);
    assert.equal(wrong.json().error.code, "MS_CSRF");
    const other = await signIn(app, KEYS.agent.key);
    const anotherSessions = await reply({ "x-csrf-token": other.body.csrfToken });
    assert.equal(anotherSessions.json().error?.code, "MS_CSRF", "tokens are per session");

    const right = await reply({ "x-csrf-token": body.csrfToken });
    assert.equal(right.statusCode, 202, right.body);
  });

  it("keeps roles: a viewer's session cannot reply to a customer, an agent's can", async () => {
    const conversation = await customerConversation("+15557101");
    await queueDrained(app.store);
    const replyAs = async (key: string) => {
      const { body, cookie } = await signIn(app, key);
      return app.app.inject({
        method: "POST",
        url: `/api/v1/conversations/${conversation}/messages`,
        headers: { cookie, "x-csrf-token": body.csrfToken },
        payload: { text: "We are on it" },
      });
    };
    const viewer = await replyAs(KEYS.viewer.key);
    assert.equal(viewer.statusCode, 403);
    assert.equal(viewer.json().error.code, "MS_FORBIDDEN");
    const agent = await replyAs(KEYS.agent.key);
    assert.equal(agent.statusCode, 202, agent.body);
  });

  it("does not need a CSRF token when the Bearer header authenticates", async () => {
    const { cookie } = await signIn(app, KEYS.viewer.key);
    const res = await app.app.inject({
      method: "POST",
      url: "/api/v1/guard",
      headers: { cookie, authorization: `Bearer ${ADMIN_KEY}` },
      payload: { text: "hello", direction: "inbound", channel: "sms" },
    });
    assert.equal(res.statusCode, 200, res.body);
  });

  it("signs a session out after 12 hours", async () => {
    const { cookie } = await signIn(app, KEYS.viewer.key);
    clock.advance(SESSION_TTL_MS - 1);
    assert.equal(
      (await app.app.inject({ url: "/console/session", headers: { cookie } })).statusCode,
      200,
    );
    clock.advance(1);
    assert.equal(
      (await app.app.inject({ url: "/console/session", headers: { cookie } })).statusCode,
      401,
    );
  });

  it("lists live sessions to admins only, without cookies or tokens", async () => {
    const { body, cookie } = await signIn(app, KEYS.agent.key);
    const viewer = await signIn(app, KEYS.viewer.key);
    const refused = await app.app.inject({
      url: "/api/v1/console-sessions",
      headers: { cookie: viewer.cookie },
    });
    assert.equal(refused.statusCode, 403);
    const list = await app.app.inject({
      url: `/api/v1/console-sessions?name=${KEYS.agent.name}`,
      headers: auth,
    });
    assert.equal(list.statusCode, 200, list.body);
    const mine = list.json().data.find((s: { id: string }) => s.id === body.id);
    assert.equal(mine?.role, "agent");
    assert.ok(!list.body.includes(cookie.split("=")[1]!) && !list.body.includes(body.csrfToken));
  });

  it("revokes one session from the API (admin) and refuses its cookie at once", async () => {
    const { body, cookie } = await signIn(app, KEYS.agent.key);
    const other = await signIn(app, KEYS.agent.key);
    const url = `/api/v1/console-sessions/${body.id}`;
    const byAgent = await app.app.inject({
      method: "DELETE",
      url,
      headers: { cookie, "x-csrf-token": body.csrfToken },
    });
    assert.equal(byAgent.statusCode, 403, "revoking needs the admin role");
    const revoked = await app.app.inject({ method: "DELETE", url, headers: auth });
    assert.equal(revoked.statusCode, 204, revoked.body);
    const api = await app.app.inject({ url: "/api/v1/conversations", headers: { cookie } });
    assert.equal(api.statusCode, 401);
    assert.equal((await app.app.inject({ method: "DELETE", url, headers: auth })).statusCode, 404);
    const still = await app.app.inject({
      url: "/api/v1/conversations",
      headers: { cookie: other.cookie },
    });
    assert.equal(still.statusCode, 200, "the key's other session stays");
    const audit = await app.store.auditLog.list({ action: "console.session.revoke", limit: 5 });
    assert.deepEqual(
      audit.map((e) => [e.actor, e.target]),
      [["admin", body.id]],
    );
  });

  it("revokes every session of a key name", async () => {
    const a = await signIn(app, KEYS.viewer.key);
    const b = await signIn(app, KEYS.viewer.key);
    const kept = await signIn(app, KEYS.agent.key);
    const res = await app.app.inject({
      method: "DELETE",
      url: `/api/v1/console-sessions?name=${KEYS.viewer.name}`,
      headers: auth,
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.ok(res.json().revoked >= 2);
    for (const { cookie } of [a, b]) {
      const gone = await app.app.inject({ url: "/console/session", headers: { cookie } });
      assert.equal(gone.statusCode, 401);
    }
    const who = await app.app.inject({ url: "/console/session", headers: { cookie: kept.cookie } });
    assert.equal(who.statusCode, 200);
    const noName = await app.app.inject({
      method: "DELETE",
      url: "/api/v1/console-sessions",
      headers: auth,
    });
    assert.equal(noName.statusCode, 400);
  });

  let n = 0;
  async function customerConversation(from: string): Promise<string> {
    const res = await app.app.inject(signedWebhook({ id: `console-${++n}`, from, text: "Hi" }));
    assert.equal(res.statusCode, 202, res.body);
    return res.json().conversationId as string;
  }
});

describe("session store", () => {
  for (const backend of backends) {
    it(`${backend.name}: keeps only hashes, sweeps expired sessions, follows the keyring`, async () => {
      const clock = new ManualClock();
      const { store, close } = await openBackendStore(backend, clock.now());
      try {
        const keyring = apiKeyring(ADMIN_KEY, [KEYS.agent]);
        const sessions = new SessionStore(store, keyring, clock, 1000);
        const first = await sessions.create({ name: KEYS.agent.name, role: "agent" });
        const [row] = await store.consoleSessions.listLive(clock.now());
        assert.ok(row && !JSON.stringify(row).includes(first.id), "no cookie in the store");
        assert.ok(!JSON.stringify(row).includes(first.csrfToken), "no CSRF token in the store");
        assert.equal((await sessions.get(first.id))?.csrfToken, first.csrfToken);

        clock.advance(1000);
        await sessions.create({ name: KEYS.agent.name, role: "agent" });
        assert.equal(await sessions.get(first.id), undefined);
        assert.equal((await store.consoleSessions.listLive(0)).length, 1, "expired row swept");

        // A key no longer in the config signs its sessions out; a changed role applies at once.
        const later = await sessions.create({ name: KEYS.agent.name, role: "agent" });
        const without = new SessionStore(store, apiKeyring(ADMIN_KEY, []), clock, 1000);
        assert.equal(await without.get(later.id), undefined);
        const demoted = apiKeyring(ADMIN_KEY, [{ ...KEYS.agent, role: "viewer" }]);
        const viewer = await new SessionStore(store, demoted, clock, 1000).get(later.id);
        assert.equal(viewer?.principal.role, "viewer");
      } finally {
        await close();
      }
    });
  }
});

describe("console files", () => {
  const dist = mkdtempSync(join(tmpdir(), "mainstay-dist-"));
  let app: Awaited<ReturnType<typeof startConsoleApp>>;

  before(async () => {
    mkdirSync(join(dist, "assets"));
    writeFileSync(join(dist, "index.html"), "<!doctype html><title>Mainstay</title>");
    writeFileSync(join(dist, "assets", "index-AbC123.js"), "console.log(1)");
    writeFileSync(join(dist, "assets", "index-AbC123.css"), "body{}");
    writeFileSync(join(dist, "favicon.svg"), "<svg/>");
    app = await startConsoleApp({ dist });
  });
  after(async () => {
    await app?.dispose();
    rmSync(dist, { recursive: true, force: true });
  });

  it("redirects / to /console", async () => {
    const res = await app.app.inject({ url: "/" });
    assert.equal(res.statusCode, 302);
    assert.equal(res.headers.location, "/console");
  });

  it("serves index.html at /console and for the console's page routes, never cached", async () => {
    for (const url of ["/console", "/console/", "/console/inbox", "/console/agents/support"]) {
      const res = await app.app.inject({ url });
      assert.equal(res.statusCode, 200, url);
      assert.equal(res.headers["content-type"], "text/html; charset=utf-8", url);
      assert.equal(res.headers["cache-control"], "no-cache", url);
      assert.match(res.body, /<title>Mainstay<\/title>/, url);
      assert.match(String(res.headers["content-security-policy"]), /frame-ancestors 'none'/);
    }
  });

  it("serves hashed assets with their content type, cached for good", async () => {
    const js = await app.app.inject({ url: "/console/assets/index-AbC123.js" });
    assert.equal(js.statusCode, 200);
    assert.equal(js.headers["content-type"], "text/javascript; charset=utf-8");
    assert.equal(js.headers["cache-control"], "public, max-age=31536000, immutable");
    assert.equal(js.body, "console.log(1)");
    const css = await app.app.inject({ url: "/console/assets/index-AbC123.css" });
    assert.equal(css.headers["content-type"], "text/css; charset=utf-8");
    const svg = await app.app.inject({ url: "/console/favicon.svg" });
    assert.equal(svg.headers["content-type"], "image/svg+xml");
    assert.equal(svg.headers["cache-control"], "no-cache", "not hashed: revalidated");
    const missing = await app.app.inject({ url: "/console/assets/gone-123.js" });
    assert.equal(missing.statusCode, 404);
  });

  it("refuses paths that leave the console folder", async () => {
    // Sent as is: inject and fetch would resolve the dots before sending.
    for (const path of [
      "/console/../package.json",
      "/console/assets/../../package.json",
      "/console/%2e%2e/%2e%2e/package.json",
    ]) {
      const res = await rawGet(app.url, path);
      assert.equal(res.status, 400, `${path}: ${res.body}`);
    }
    for (const url of [
      "/console/..%2Fpackage.json",
      "/console/assets/..%2F..%2Fpackage.json",
      "/console/%00index.html",
    ]) {
      const res = await app.app.inject({ url });
      assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
      assert.doesNotMatch(res.body, /"name": "mainstay"/);
    }
  });
});

/** A GET whose path goes on the wire exactly as written. */
function rawGet(base: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolvePromise, reject) => {
    const request = httpRequest(new URL(base), { path, method: "GET" }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolvePromise({ status: res.statusCode ?? 0, body }));
    });
    request.on("error", reject);
    request.end();
  });
}

describe("console not built", () => {
  const dist = join(tmpdir(), "mainstay-no-such-dist");
  let app: Awaited<ReturnType<typeof startConsoleApp>>;
  before(async () => {
    app = await startConsoleApp({ dist });
  });
  after(() => app?.dispose());

  it("answers /console with 503 naming the build command, and keeps serving the API", async () => {
    for (const url of ["/console", "/console/inbox"]) {
      const res = await app.app.inject({ url });
      assert.equal(res.statusCode, 503, url);
      assert.equal(res.headers["content-type"], "text/html; charset=utf-8");
      assert.match(res.body, /npm run build:console/);
    }
    assert.equal((await app.app.inject({ url: "/healthz" })).statusCode, 200);
  });
});

describe("console disabled", () => {
  const dist = mkdtempSync(join(tmpdir(), "mainstay-dist-"));
  let app: Awaited<ReturnType<typeof startConsoleApp>>;
  before(async () => {
    writeFileSync(join(dist, "index.html"), "<!doctype html>");
    app = await startConsoleApp({ dist, extraYaml: "console: { enabled: false }\n" });
  });
  after(async () => {
    await app?.dispose();
    rmSync(dist, { recursive: true, force: true });
  });

  it("serves neither the console nor the redirect, and ignores session cookies", async () => {
    assert.equal((await app.app.inject({ url: "/" })).statusCode, 404);
    assert.equal((await app.app.inject({ url: "/console" })).statusCode, 404);
    const signIn = await app.app.inject({
      method: "POST",
      url: "/console/session",
      payload: { key: ADMIN_KEY },
    });
    assert.equal(signIn.statusCode, 404);
  });
});
