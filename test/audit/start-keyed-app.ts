import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import type { ApiKeyConfig } from "../../src/api/auth/index.ts";
import { parseConfigText } from "../../src/config/index.ts";
import { startMainstay } from "../../src/main.ts";
import type { Clock } from "../../src/shared/clock.ts";
import type { StoreOptions } from "../../src/store/index.ts";
import type { Backend } from "../support/backends.ts";
import { EXAMPLE_SECRETS_YAML } from "../support/document-agent.ts";
import { ADMIN_KEY, testConfigYaml } from "../support/test-app.ts";

/** One key per role, as `server.apiKeys` would give them. */
export const KEYS = {
  viewer: { name: "dashboard", key: "viewer-key-0123456789abcdef", role: "viewer" },
  agent: { name: "ada", key: "agent-key-0123456789abcdefgh", role: "agent" },
  admin: { name: "ops-lead", key: "ops-key-0123456789abcdefghij", role: "admin" },
} as const satisfies Record<string, ApiKeyConfig>;

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** The whole server (test config, admin key ADMIN_KEY, example secrets) with `KEYS` configured. */
export async function startKeyedApp(options: { clock?: Clock; store?: StoreOptions } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), "mainstay-keys-"));
  const loaded = parseConfigText(
    testConfigYaml({ dataDir, extraYaml: EXAMPLE_SECRETS_YAML }),
    join(dataDir, "mainstay.yaml"),
  );
  const server = { ...loaded.config.server, apiKeys: Object.values(KEYS) };
  const app = await startMainstay(
    { ...loaded, config: { ...loaded.config, server } },
    {
      env: { MAINSTAY_ADMIN_KEY: ADMIN_KEY },
      logger: pino({ level: process.env["TEST_LOG_LEVEL"] ?? "silent" }),
      ...options,
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

export type KeyedApp = Awaited<ReturnType<typeof startKeyedApp>>;

/** Two instances of that server on one fresh place of `backend`: what instances share. */
export async function startKeyedPair(backend: Backend, clock: Clock) {
  const created = await backend.create();
  const started: KeyedApp[] = [];
  const dispose = async () => {
    for (const app of started) await app.dispose();
    await created.cleanup();
  };
  try {
    for (let i = 0; i < 2; i++)
      started.push(await startKeyedApp({ clock, store: created.options }));
  } catch (e) {
    await dispose();
    throw e;
  }
  const [a, b] = started as [KeyedApp, KeyedApp];
  return { a, b, dispose };
}
