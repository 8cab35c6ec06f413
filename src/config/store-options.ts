import { join, resolve } from "node:path";
import type { StoreOptions } from "../store/index.ts";
import { encryptionFromEnv } from "./encryption-keys.ts";
import type { Config } from "./schema.ts";

/**
 * Where data lives: PostgreSQL when `DATABASE_URL` (or `storage.databaseUrl`) is set, else
 * the embedded SQLite file in `storage.dataDir` (relative to the working directory); and
 * whether it is encrypted at rest (`MAINSTAY_ENCRYPTION_KEYS`).
 */
export function storeOptionsFor(config: Config, env: NodeJS.ProcessEnv): StoreOptions {
  const databaseUrl = env["DATABASE_URL"] || config.storage.databaseUrl;
  const encryption = encryptionFromEnv(env);
  const where: StoreOptions = databaseUrl
    ? { kind: "postgres", url: databaseUrl }
    : { kind: "sqlite", file: join(resolve(config.storage.dataDir), "mainstay.db") };
  return encryption ? { ...where, encryption } : where;
}
