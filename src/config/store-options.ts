import { join, resolve } from "node:path";
import type { StoreOptions } from "../store/index.ts";
import type { Config } from "./schema.ts";

/**
 * Where data lives: PostgreSQL when `DATABASE_URL` (or `storage.databaseUrl`) is set, else
 * the embedded SQLite file in `storage.dataDir` (relative to the working directory).
 */
export function storeOptionsFor(config: Config, env: NodeJS.ProcessEnv): StoreOptions {
  const databaseUrl = env["DATABASE_URL"] || config.storage.databaseUrl;
  return databaseUrl
    ? { kind: "postgres", url: databaseUrl }
    : { kind: "sqlite", file: join(resolve(config.storage.dataDir), "mainstay.db") };
}
