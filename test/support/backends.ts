import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openStore, type StoreOptions } from "../../src/store/index.ts";

export interface Backend {
  name: "sqlite" | "postgres";
  /** A fresh, empty place to store data, and how to remove it afterwards. */
  create(): Promise<{ options: StoreOptions; cleanup(): Promise<void> }>;
}

const pgUrl = process.env["MAINSTAY_TEST_DATABASE_URL"];

/**
 * MAINSTAY_TEST_ENCRYPTION=1 runs the suites that use these backends with encryption at
 * rest on (a fixed test key), to show the app reads the same either way.
 */
const encryption: Pick<StoreOptions, "encryption"> =
  process.env["MAINSTAY_TEST_ENCRYPTION"] === "1"
    ? { encryption: { keys: [{ id: "test", key: Buffer.alloc(32, 42) }], search: "tokens" } }
    : {};

const sqlite: Backend = {
  name: "sqlite",
  async create() {
    const dir = mkdtempSync(join(tmpdir(), "mainstay-test-"));
    return {
      options: { kind: "sqlite", file: join(dir, "mainstay.db"), ...encryption },
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

const postgres: Backend = {
  name: "postgres",
  async create() {
    // Each test gets its own schema, dropped at the end.
    const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    return {
      options: { kind: "postgres", url: pgUrl!, schema, ...encryption },
      cleanup: async () => {
        const client = new pg.Client({ connectionString: pgUrl });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      },
    };
  },
};

/** SQLite always; PostgreSQL when MAINSTAY_TEST_DATABASE_URL is set (CI sets it). */
export const backends: Backend[] = pgUrl ? [sqlite, postgres] : [sqlite];

/** A migrated store on a fresh place of `backend`; `close` also removes the place. */
export async function openBackendStore(backend: Backend, now: number) {
  const created = await backend.create();
  const store = await openStore(created.options, now);
  return {
    store,
    async close() {
      await store.close();
      await created.cleanup();
    },
  };
}
