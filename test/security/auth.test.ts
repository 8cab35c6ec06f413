import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import pino from "pino";
import { parseConfigText } from "../../src/config/index.ts";
import { type Mainstay, startMainstay } from "../../src/main.ts";
import { type FakeLlmServer, startFakeOpenAI } from "../support/fake-llm-servers.ts";
import { ADMIN_KEY, startTestApp, type TestApp, testConfigYaml } from "../support/test-app.ts";

const METRICS_TOKEN = "scrape-secret-0123456789";
const basic = Buffer.from(`admin:${ADMIN_KEY}`).toString("base64");

type Surface = "api" | "proxy" | "metrics";

/** Where each surface is asked, and what its 401 says the caller should send. */
const REQUESTS: Record<Surface, { method: "GET" | "POST"; url: string; payload?: object }> = {
  api: { method: "GET", url: "/api/v1/conversations" },
  proxy: {
    method: "POST",
    url: "/v1/chat/completions",
    payload: { model: "gpt-test", messages: [{ role: "user", content: "hello" }] },
  },
  metrics: { method: "GET", url: "/metrics" },
};

/**
 * Each case is an Authorization header the server answered wrongly before: accepted with
 * text after the token or with a loose separator, or refused without saying the form
 * expected, or (metrics) refused although the scheme is case-insensitive (RFC 9110 §11.1).
 */
const CASES: { name: string; surface: Surface; authorization: string; status: 200 | 401 }[] = [
  {
    name: "API: text after the key",
    surface: "api",
    authorization: `Bearer ${ADMIN_KEY} anything`,
    status: 401,
  },
  { name: "API: two spaces", surface: "api", authorization: `Bearer  ${ADMIN_KEY}`, status: 401 },
  { name: "API: a tab", surface: "api", authorization: `Bearer\t${ADMIN_KEY}`, status: 401 },
  { name: "API: Basic", surface: "api", authorization: `Basic ${basic}`, status: 401 },
  { name: "API: Bearer alone", surface: "api", authorization: "Bearer", status: 401 },
  {
    name: "API: a comma in the token",
    surface: "api",
    authorization: `Bearer ${ADMIN_KEY},x`,
    status: 401,
  },
  {
    name: "proxy: two spaces",
    surface: "proxy",
    authorization: `Bearer  ${ADMIN_KEY}`,
    status: 401,
  },
  { name: "proxy: a tab", surface: "proxy", authorization: `Bearer\t${ADMIN_KEY}`, status: 401 },
  {
    name: "proxy: text after the key",
    surface: "proxy",
    authorization: `Bearer ${ADMIN_KEY} anything`,
    status: 401,
  },
  { name: "proxy: Basic", surface: "proxy", authorization: `Basic ${basic}`, status: 401 },
  { name: "proxy: Bearer alone", surface: "proxy", authorization: "Bearer", status: 401 },
  {
    name: "metrics: lowercase scheme",
    surface: "metrics",
    authorization: `bearer ${METRICS_TOKEN}`,
    status: 200,
  },
];

describe("Authorization: exactly `Bearer <token>`", () => {
  let upstream: FakeLlmServer;
  let app: TestApp;

  before(async () => {
    upstream = await startFakeOpenAI();
    app = await startTestApp({
      extraYaml: `proxy: { upstream: { baseUrl: ${upstream.url}, apiKey: sk-upstream }, channelId: proxy }
telemetry: { metrics: { token: ${METRICS_TOKEN} } }
`,
    });
  });
  after(async () => {
    await app?.dispose();
    await upstream?.close();
  });

  for (const c of CASES) {
    test(c.name, async () => {
      const res = await app.app.inject({
        ...REQUESTS[c.surface],
        headers: { authorization: c.authorization },
      });
      assert.equal(res.statusCode, c.status, res.body);
      if (c.status === 401) {
        const error = res.json().error;
        assert.equal(error.code, c.surface === "proxy" ? "invalid_api_key" : "MS_UNAUTHORIZED");
        assert.match(error.message, /send `Authorization: Bearer <[^>]+>`/);
      }
      assert.equal(upstream.requests.length, 0, "the proxy called upstream");
    });
  }
});

/** Octal permission bits of `path`. */
const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe("files on disk: data dir 0700, database and admin key 0600", () => {
  const root = mkdtempSync(join(tmpdir(), "mainstay-files-"));
  const fresh = join(root, "fresh");
  const loose = join(root, "loose");
  const apps: Mainstay[] = [];
  let umask: number;

  before(async () => {
    // Permissive umask: modes must not depend on it.
    umask = process.umask(0);
    // An older install: a world-readable folder, database and key.
    mkdirSync(loose, { mode: 0o755 });
    chmodSync(loose, 0o755);
    writeFileSync(join(loose, "mainstay.db"), "");
    writeFileSync(join(loose, "admin-key"), "msk_older-install-key-0123456789\n");
    chmodSync(join(loose, "mainstay.db"), 0o644);
    chmodSync(join(loose, "admin-key"), 0o644);
    for (const dataDir of [fresh, loose]) {
      const loaded = parseConfigText(testConfigYaml({ dataDir }), join(root, "mainstay.yaml"));
      // No MAINSTAY_ADMIN_KEY: the key is generated into (or read from) the data dir.
      apps.push(
        await startMainstay(loaded, {
          env: {},
          logger: pino({ level: "silent" }),
          announce: () => {},
        }),
      );
    }
  });
  after(async () => {
    process.umask(umask);
    for (const app of apps) await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  const FILES: [string, string][] = [
    ["the data dir", ""],
    ["the database", "mainstay.db"],
    ["its -wal file", "mainstay.db-wal"],
    ["its -shm file", "mainstay.db-shm"],
    ["the admin key", "admin-key"],
  ];
  for (const [setup, dir] of [
    ["created", fresh],
    ["left readable by an older version", loose],
  ] as const) {
    for (const [what, name] of FILES) {
      test(`${what}, ${setup}`, () => {
        assert.equal(modeOf(join(dir, name)), name ? "600" : "700");
      });
    }
  }
});
