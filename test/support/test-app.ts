import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pino from "pino";
import { signGenericBody } from "../../src/channels/index.ts";
import { parseConfigText } from "../../src/config/index.ts";
import { jobQueue } from "../../src/jobs/index.ts";
import { type Mainstay, type StartOptions, startMainstay } from "../../src/main.ts";
import type { Store } from "../../src/store/index.ts";

export const ADMIN_KEY = "test-admin-key-0123456789";
export const API_SECRET = "test-channel-secret-0123456789";
export const KNOWLEDGE_DIR = resolve(import.meta.dirname, "../../examples/knowledge");

/** A config with the example agent, a web chat and a generic channel (optional callback). */
export function testConfigYaml(extra: {
  callbackUrl?: string;
  dataDir: string;
  outbox?: string;
  knowledgeDir?: string;
  /** Extra top-level YAML appended to the config. */
  extraYaml?: string;
  /** The `agent:` setting as flow YAML (default: the built-in example agent). */
  agent?: string;
  /**
   * The `limits:` setting as flow YAML. Tests answer each message at once (no coalescing
   * delay) unless they say otherwise; the other limits keep their defaults.
   */
  limits?: string;
}) {
  return `
server: { host: 127.0.0.1, port: 0, egress: { allow: ["127.0.0.0/8", "::1", localhost] } }
storage: { dataDir: ${JSON.stringify(extra.dataDir)} }
agent: ${extra.agent ?? `{ id: support, version: "1", type: builtin, knowledgeDir: ${JSON.stringify(extra.knowledgeDir ?? KNOWLEDGE_DIR)} }`}
channels:
  - { id: web, type: webchat, title: Test chat, embedOrigins: ["https://shop.example.com/"] }
  - id: api
    type: generic
    secret: ${API_SECRET}
${extra.callbackUrl ? `    callbackUrl: ${extra.callbackUrl}\n` : ""}outbox: ${extra.outbox ?? "{ maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50, pollIntervalMs: 20 }"}
limits: ${extra.limits ?? "{ coalesceMs: 0 }"}
${extra.extraYaml ?? ""}`;
}

/**
 * MAINSTAY_TEST_ENCRYPTION=1 starts test apps with encryption at rest on (the fixed test key
 * backends.ts uses), to show the pipeline behaves the same either way.
 */
export const TEST_ENCRYPTION_ENV: NodeJS.ProcessEnv =
  process.env["MAINSTAY_TEST_ENCRYPTION"] === "1"
    ? { MAINSTAY_ENCRYPTION_KEYS: `test:${Buffer.alloc(32, 42).toString("base64")}` }
    : {};

export interface TestApp extends Mainstay {
  dataDir: string;
  /** Close the app and remove its data folder. */
  dispose(): Promise<void>;
}

export async function startTestApp(
  options: {
    callbackUrl?: string;
    dataDir?: string;
    outbox?: string;
    knowledgeDir?: string;
    extraYaml?: string;
    agent?: string;
    limits?: string;
  } & StartOptions = {},
): Promise<TestApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "mainstay-app-"));
  const loaded = parseConfigText(
    testConfigYaml({ ...options, dataDir }),
    join(dataDir, "mainstay.yaml"),
  );
  const app = await startMainstay(loaded, {
    env: { MAINSTAY_ADMIN_KEY: ADMIN_KEY, ...TEST_ENCRYPTION_ENV },
    logger: pino({ level: process.env["TEST_LOG_LEVEL"] ?? "silent" }),
    ...options,
  });
  return {
    ...app,
    dataDir,
    async dispose() {
      await app.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function signedWebhook(body: unknown, secret = API_SECRET) {
  const payload = typeof body === "string" ? body : JSON.stringify(body);
  return {
    method: "POST" as const,
    url: "/webhooks/api",
    payload,
    headers: {
      "content-type": "application/json",
      "x-mainstay-signature": signGenericBody(secret, payload),
    },
  };
}

export const auth = { authorization: `Bearer ${ADMIN_KEY}` };

/** Poll `check` until it returns a value (not undefined) or the deadline passes. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Wait until no job is ready or running: whatever the pipeline would do has been done. */
export function queueDrained(store: Store, timeoutMs?: number): Promise<true> {
  const queue = jobQueue(store.db);
  return eventually(
    async () => ((await queue.pendingCount()) === 0 ? true : undefined),
    "the job queue to drain",
    timeoutMs,
  );
}
