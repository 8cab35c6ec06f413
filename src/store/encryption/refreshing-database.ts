import type { Logger } from "pino";
import type { Database, Executor } from "../database.ts";
import { isSealed, sealedKeyId } from "./field-cipher.ts";
import { refreshKeyring } from "./key-registry.ts";
import type { Keyring } from "./keyring.ts";

/**
 * How often a store reads `encryption_keys` again on its own, so that after a
 * `mainstay keys rotate` (another process) it seals with the new data key soon even if it
 * reads no value sealed with it. One small read a minute.
 */
export const KEY_REFRESH_MS = 60_000;

/**
 * `db`, reading `encryption_keys` again (on the same executor, so also inside a
 * transaction) whenever a row it returns holds a value sealed with a data key the keyring
 * does not know yet: a value another instance sealed with a data key created after this
 * one started opens at once, as long as that key is in the table. The rows are read before
 * any repository opens their values, which is why this sits under the repositories rather
 * than in the synchronous `FieldCodec.open`. Data keys looked for and not found (wrapped by
 * a master key this environment lacks) are not looked for again: opening such a value
 * fails with MS_ENCRYPTION_KEY_MISSING naming the master key.
 */
export function refreshingDatabase(db: Database, keyring: Keyring, logger?: Logger): Database {
  const unknownIn = (rows: readonly unknown[]) => {
    const ids = new Set<string>();
    for (const row of rows) {
      for (const v of Object.values(row as Record<string, unknown>)) {
        if (typeof v !== "string" || !isSealed(v)) continue;
        const id = sealedKeyId(v);
        if (id !== undefined && !keyring.dataKeys.has(id) && !keyring.unreadable.has(id)) {
          ids.add(id);
        }
      }
    }
    return ids;
  };
  const learn = async (executor: Executor, rows: readonly unknown[]) => {
    const ids = unknownIn(rows);
    if (ids.size === 0) return;
    await refreshKeyring(executor, keyring);
    for (const id of ids) {
      if (!keyring.dataKeys.has(id) && !keyring.unreadable.has(id)) {
        keyring.unreadable.set(id, undefined);
      }
    }
  };
  const refreshing = (executor: Executor): Executor => ({
    dialect: executor.dialect,
    async all<T>(sql: string, params?: Parameters<Executor["all"]>[1]) {
      const rows = await executor.all<T>(sql, params);
      await learn(executor, rows);
      return rows;
    },
    async get<T>(sql: string, params?: Parameters<Executor["get"]>[1]) {
      const row = await executor.get<T>(sql, params);
      if (row !== undefined) await learn(executor, [row]);
      return row;
    },
    run: (sql, params) => executor.run(sql, params),
  });
  const timer = setInterval(() => {
    refreshKeyring(db, keyring).catch((error: unknown) =>
      logger?.warn({ err: error }, "could not read encryption_keys again"),
    );
  }, KEY_REFRESH_MS);
  timer.unref();
  return {
    ...refreshing(db),
    transaction: (fn) => db.transaction((tx) => fn(refreshing(tx))),
    exclusively: (fn) => db.exclusively(fn),
    listen: (channel, onNotify) => db.listen(channel, onNotify),
    close: () => {
      clearInterval(timer);
      return db.close();
    },
  };
}
