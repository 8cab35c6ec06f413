import type { Database, Dialect, Executor } from "./database.ts";
import { currentMigration, latestMigration, migrate } from "./migrations.ts";
import { openPostgresDatabase } from "./postgres/postgres-database.ts";
import { agentVersionsRepository } from "./repositories/agent-versions.ts";
import { contactMergesRepository } from "./repositories/contact-merges.ts";
import { contactsRepository } from "./repositories/contacts.ts";
import { conversationsRepository } from "./repositories/conversations.ts";
import { eventsRepository } from "./repositories/events.ts";
import { messagesRepository } from "./repositories/messages.ts";
import { openSqliteDatabase } from "./sqlite/sqlite-database.ts";

/** Repositories bound to one executor: the pool, or an open transaction. */
export interface Repositories {
  /** Raw executor, for modules (jobs/) that keep their own SQL on the same transaction. */
  readonly db: Executor;
  readonly contacts: ReturnType<typeof contactsRepository>;
  readonly contactMerges: ReturnType<typeof contactMergesRepository>;
  readonly conversations: ReturnType<typeof conversationsRepository>;
  readonly messages: ReturnType<typeof messagesRepository>;
  readonly events: ReturnType<typeof eventsRepository>;
  readonly agentVersions: ReturnType<typeof agentVersionsRepository>;
}

export interface Store extends Repositories {
  readonly dialect: Dialect;
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
  /** Throws when the database is unreachable or migrations are missing. */
  check(): Promise<{ migration: number }>;
  /** See `Database.listen`: notifications from other instances (PostgreSQL only). */
  listen(channel: string, onNotify: () => void): Promise<void>;
  close(): Promise<void>;
}

export type StoreOptions =
  | { kind: "sqlite"; file: string }
  | { kind: "postgres"; url: string; schema?: string };

export function repositoriesOn(db: Executor): Repositories {
  return {
    db,
    contacts: contactsRepository(db),
    contactMerges: contactMergesRepository(db),
    conversations: conversationsRepository(db),
    messages: messagesRepository(db),
    events: eventsRepository(db),
    agentVersions: agentVersionsRepository(db),
  };
}

/** Open the database, apply pending migrations and return the store. */
export async function openStore(options: StoreOptions, now = Date.now()): Promise<Store> {
  const db: Database =
    options.kind === "sqlite"
      ? openSqliteDatabase(options.file)
      : openPostgresDatabase({ url: options.url, schema: options.schema });
  try {
    await migrate(db, now);
  } catch (e) {
    await db.close();
    throw e;
  }
  return {
    ...repositoriesOn(db),
    dialect: db.dialect,
    transaction: (fn) => db.transaction((tx) => fn(repositoriesOn(tx))),
    async check() {
      const migration = await currentMigration(db);
      if (migration < latestMigration) {
        throw new Error(`migrations applied up to ${migration}, expected ${latestMigration}`);
      }
      return { migration };
    },
    listen: (channel, onNotify) => db.listen(channel, onNotify),
    close: () => db.close(),
  };
}
