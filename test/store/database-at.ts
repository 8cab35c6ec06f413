import { migrate } from "../../src/store/migrations.ts";
import { openPostgresDatabase } from "../../src/store/postgres/postgres-database.ts";
import { openSqliteDatabase } from "../../src/store/sqlite/sqlite-database.ts";
import type { Backend } from "../support/backends.ts";

/**
 * A database on a fresh place of `backend`, migrated only up to `version`: rows written
 * to it are stored as an older Mainstay stored them, for the later migrations to carry.
 */
export async function databaseAt(backend: Backend, version: number, now: number) {
  const created = await backend.create();
  const { options } = created;
  const db =
    options.kind === "sqlite"
      ? openSqliteDatabase(options.file)
      : openPostgresDatabase({ url: options.url, schema: options.schema });
  await migrate(db, now, version);
  return {
    db,
    async close() {
      await db.close();
      await created.cleanup();
    },
  };
}
