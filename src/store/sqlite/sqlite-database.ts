import { dirname } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { ensurePrivateDir, ensurePrivateFile, keepPrivate } from "../../shared/private-files.ts";
import type { Database, Executor, SqlValue } from "../database.ts";
import { transactionGuard } from "../transaction-guard.ts";

/**
 * better-sqlite3 is synchronous, but transactions here take async callbacks (they call
 * channels, the clock, other repositories). A promise-chain lock serialises every
 * operation so another request can never slip statements into an open transaction; a
 * statement on the database from inside the transaction itself would wait behind it for
 * ever, so it fails at once instead (transactionGuard).
 */
export function openSqliteDatabase(file: string): Database {
  const onDisk = file !== ":memory:";
  // The database's folder is the data dir (storeOptionsFor), private like the file. SQLite
  // gives the -wal and -shm files the database's own mode; ones an older version left are
  // tightened once they are open.
  if (onDisk) {
    ensurePrivateDir(dirname(file));
    ensurePrivateFile(file);
  }
  const db = new BetterSqlite3(file);
  db.pragma("journal_mode = WAL");
  if (onDisk) for (const suffix of ["-wal", "-shm"]) keepPrivate(`${file}${suffix}`);
  // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the
  // last commits (https://www.sqlite.org/pragma.html#pragma_synchronous).
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");

  const statements = new Map<string, BetterSqlite3.Statement>();
  const prepare = (sql: string) => {
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      statements.set(sql, stmt);
    }
    return stmt;
  };
  const direct: Executor = {
    dialect: "sqlite",
    all: async <T>(sql: string, params: readonly SqlValue[] = []) =>
      prepare(sql).all(...params) as T[],
    get: async <T>(sql: string, params: readonly SqlValue[] = []) =>
      prepare(sql).get(...params) as T | undefined,
    run: async (sql: string, params: readonly SqlValue[] = []) => ({
      changes: prepare(sql).run(...params).changes,
    }),
  };

  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = tail.then(fn, fn);
    tail = next.catch(() => undefined);
    return next;
  };
  const guard = transactionGuard();
  /** The lock, for callers outside this database's transaction. */
  const queued = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    guard.outside(what);
    return exclusive(fn);
  };
  let closed = false;

  return {
    dialect: "sqlite",
    all: (sql, params) => queued(sql, () => direct.all(sql, params)),
    get: (sql, params) => queued(sql, () => direct.get(sql, params)),
    run: (sql, params) => queued(sql, () => direct.run(sql, params)),
    transaction: (fn) =>
      queued("transaction(fn)", async () => {
        db.exec("BEGIN IMMEDIATE");
        try {
          const result = await guard.inside(() => fn(direct));
          db.exec("COMMIT");
          return result;
        } catch (e) {
          if (db.inTransaction) db.exec("ROLLBACK");
          throw e;
        }
      }),
    // Not through `exclusive`: `fn` runs transactions, which take that lock themselves.
    exclusively: (fn) => fn(),
    listen: async () => undefined,
    close: () =>
      exclusive(async () => {
        if (closed) return;
        closed = true;
        db.close();
      }),
  };
}
