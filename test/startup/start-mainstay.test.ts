import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import pg from "pg";
import pino from "pino";
import { parseConfigText } from "../../src/config/index.ts";
import { startMainstay } from "../../src/main.ts";
import { backends } from "../support/backends.ts";
import { ADMIN_KEY, startTestApp, testConfigYaml } from "../support/test-app.ts";

/** Sessions the instance holds on the test database (its pool names them by schema). */
async function sessionsOf(url: string, schema: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1",
      [`mainstay:${schema}`],
    );
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

for (const backend of backends) {
  describe(`startMainstay, part by part: ${backend.name}`, () => {
    it("closes what it had started when a late part fails (the port is taken)", async () => {
      const taken = await startTestApp();
      const dataDir = mkdtempSync(join(tmpdir(), "mainstay-startup-"));
      const place = await backend.create();
      try {
        const port = (taken.app.server.address() as AddressInfo).port;
        const loaded = parseConfigText(testConfigYaml({ dataDir }), join(dataDir, "m.yaml"));
        await assert.rejects(
          startMainstay(loaded, {
            env: { MAINSTAY_ADMIN_KEY: ADMIN_KEY },
            logger: pino({ level: "silent" }),
            store: place.options,
            port,
          }),
          /EADDRINUSE/,
        );
        if (place.options.kind === "postgres") {
          const { url, schema } = place.options;
          assert.equal(await sessionsOf(url, schema!), 0, "the store's pool was closed");
        }
        // The same data opens again: nothing of the failed start holds it.
        const again = await startMainstay(loaded, {
          env: { MAINSTAY_ADMIN_KEY: ADMIN_KEY },
          logger: pino({ level: "silent" }),
          store: place.options,
          port: 0,
        });
        await again.close();
      } finally {
        await taken.dispose();
        await place.cleanup();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });

    it("closes in reverse order: no more requests, then no more jobs", async () => {
      const place = await backend.create();
      const app = await startTestApp({ store: place.options });
      try {
        assert.equal(app.worker.isRunning, true);
        const closing = app.close();
        await closing;
        assert.equal(app.app.server.listening, false);
        assert.equal(app.worker.isRunning, false);
        await assert.rejects(app.store.conversations.list({ limit: 1 }));
        assert.equal(app.close(), closing, "closing twice is the same close");
      } finally {
        await app.dispose();
        await place.cleanup();
      }
    });
  });
}
