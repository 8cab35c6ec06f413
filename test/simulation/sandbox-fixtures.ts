import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type LoadedConfig, parseConfigText } from "../../src/config/index.ts";
import { type Sandbox, startSandbox } from "../../src/simulation/index.ts";
import type { Backend } from "../support/backends.ts";

export { modelDocument } from "../evaluation/eval-fixtures.ts";

const EXAMPLES = resolve(import.meta.dirname, "../../examples");

/** The user's config: the example policy and built-in agent, plus what `extra` adds. */
export function userConfig(extra = ""): { loaded: LoadedConfig; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "mainstay-sim-config-"));
  const loaded = parseConfigText(
    `server: { egress: { allow: ["127.0.0.1/32"] } }
storage: { dataDir: ${JSON.stringify(join(dir, "data"))} }
policies: ${JSON.stringify(join(EXAMPLES, "policies/northwind.yaml"))}
agent: { id: northwind-support, version: "1", type: builtin, knowledgeDir: ${JSON.stringify(join(EXAMPLES, "knowledge"))}, threshold: 0.4 }
channels: [{ id: api, type: generic, secret: test-secret-0123456789 }]
${extra}`,
    join(dir, "mainstay.yaml"),
    {},
  );
  return { loaded, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Sandboxes on `backend`, each on a fresh place of it; `close` stops them and removes the places. */
export function sandboxesOn(backend: Backend) {
  const started: { sandbox: Sandbox; cleanup(): Promise<void> }[] = [];
  return {
    async start(options: Omit<Parameters<typeof startSandbox>[0], "store">): Promise<Sandbox> {
      const place = await backend.create();
      const sandbox = await startSandbox({ ...options, store: place.options });
      started.push({ sandbox, cleanup: place.cleanup });
      return sandbox;
    },
    async close() {
      for (const { sandbox, cleanup } of started.splice(0)) {
        await sandbox.close();
        await cleanup();
      }
    },
  };
}
