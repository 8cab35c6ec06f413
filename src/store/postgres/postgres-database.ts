import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import type { Logger } from "pino";
import type { Database, Executor, SqlValue } from "../database.ts";
import { transactionGuard } from "../transaction-guard.ts";
import { databaseUnavailable, isConnectionLost } from "./connection-lost.ts";
import { notificationListener } from "./notification-listener.ts";

// BIGINT (int8) columns hold epoch milliseconds and counters that fit a JS number.
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === 20
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

/** Waits before the 2nd and 3rd run of a transaction whose connection was lost. */
const TRANSACTION_RETRY_MS = [100, 500];

/**
 * How long a checkout may wait for a connection (a new one, or a free one of the pool)
 * before the database counts as unavailable; node-postgres waits forever by default.
 */
const CONNECT_TIMEOUT_MS = 5_000;

/** First key of the session advisory lock `exclusively` takes; the second is the schema's. */
const EXCLUSIVE_LOCK_KEY = 4242;

const numbered = new Map<string, string>();
/** Turn portable `?` placeholders into `$1..$n` (cached: the SQL texts are constants). */
function toPostgres(sql: string): string {
  let out = numbered.get(sql);
  if (out === undefined) {
    let n = 0;
    out = sql.replace(/\?/g, () => `$${++n}`);
    numbered.set(sql, out);
  }
  return out;
}

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

function executorOn(client: Queryable): Executor {
  const query = async <T>(sql: string, params: readonly SqlValue[] = []) => {
    try {
      return (await client.query(
        toPostgres(sql),
        params as SqlValue[],
      )) as unknown as pg.QueryResult<T & pg.QueryResultRow>;
    } catch (e) {
      throw isConnectionLost(e) ? databaseUnavailable(e) : e;
    }
  };
  return {
    dialect: "postgres",
    all: async <T>(sql: string, params?: readonly SqlValue[]) =>
      (await query<T>(sql, params)).rows as T[],
    get: async <T>(sql: string, params?: readonly SqlValue[]) =>
      (await query<T>(sql, params)).rows[0] as T | undefined,
    run: async (sql, params) => ({ changes: (await query(sql, params)).rowCount ?? 0 }),
  };
}

/**
 * Check a client out for `fn`, listening for its `error` event meanwhile (without a
 * listener a connection lost during a checkout crashes the process), and give it back
 * with the error that broke it, so the pool discards it instead of lending it again.
 */
async function withClient<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient, broken: () => Error | undefined) => Promise<T>,
): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (e) {
    throw databaseUnavailable(e);
  }
  let lost: Error | undefined;
  const onError = (err: Error) => {
    lost ??= err;
  };
  client.on("error", onError);
  try {
    return await fn(client, () => lost);
  } catch (e) {
    if (isConnectionLost(e)) lost ??= e as Error;
    throw e;
  } finally {
    client.off("error", onError);
    client.release(lost);
  }
}

/** Thrown by one run of a transaction; `retry` when nothing of it can have committed. */
class TransactionLost extends Error {
  constructor(
    override readonly cause: unknown,
    readonly retry: boolean,
  ) {
    super("transaction lost its connection");
  }
}

async function runTransactionOnce<T>(pool: pg.Pool, fn: (tx: Executor) => Promise<T>) {
  let commitSent = false;
  try {
    return await withClient(pool, async (client, broken) => {
      try {
        await client.query("BEGIN");
        const result = await fn(executorOn(client));
        commitSent = true;
        await client.query("COMMIT");
        return result;
      } catch (e) {
        // A lost session is rolled back by the server; a live one is told to.
        if (!broken() && !isConnectionLost(e)) {
          await client.query("ROLLBACK").catch(() => undefined);
        }
        throw e;
      }
    });
  } catch (e) {
    if (!isConnectionLost(e)) throw e;
    // Once COMMIT is sent, whether it committed is unknown: running it again could do
    // the work twice, so the caller hears the database is unavailable instead.
    throw new TransactionLost(e, !commitSent);
  }
}

export interface PostgresOptions {
  url: string;
  /** Schema to use (created if missing); tests use a throwaway one each. */
  schema?: string;
  max?: number;
  /** Where lost and recovered connections are told. */
  logger?: Logger;
}

export function openPostgresDatabase(options: PostgresOptions): Database {
  const { schema, logger } = options;
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  // Operators (and tests) find an instance's sessions in pg_stat_activity by these names;
  // an application_name in the URL wins.
  const named = (role: string) => (schema ? `${role}:${schema}` : role);
  const connection = {
    connectionString: options.url,
    types,
    keepAlive: true,
    // Every connection works inside the configured schema.
    options: schema ? `-c search_path=${schema}` : undefined,
  };
  const pool = new pg.Pool({
    ...connection,
    application_name: named("mainstay"),
    max: options.max ?? 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  pool.on("error", (err) => {
    // An idle client lost its connection; the pool replaces it on the next checkout.
    logger?.warn({ err }, "idle database connection lost");
  });
  const lockName = schema ?? "";
  /** Run `fn` holding the session advisory lock every instance on this schema takes. */
  const underLock = <T>(fn: () => Promise<T>) =>
    withClient(pool, async (client, broken) => {
      await client.query("SELECT pg_advisory_lock($1, hashtext($2))", [
        EXCLUSIVE_LOCK_KEY,
        lockName,
      ]);
      try {
        return await fn();
      } finally {
        // A lost session has let go of its locks already.
        if (!broken()) {
          await client.query("SELECT pg_advisory_unlock($1, hashtext($2))", [
            EXCLUSIVE_LOCK_KEY,
            lockName,
          ]);
        }
      }
    });
  // Instances starting together on a new schema would race to create it.
  const ready = schema
    ? underLock(() => pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)).then(() => undefined)
    : Promise.resolve();
  const onPool = executorOn(pool);
  const notifications = notificationListener(
    { ...connection, application_name: named("mainstay-listen") },
    logger,
  );
  const guard = transactionGuard();
  /** A statement on the pool: once the schema is ready, and never from inside `transaction`. */
  const after =
    <A extends [sql: string, ...rest: unknown[]], R>(fn: (...a: A) => Promise<R>) =>
    async (...a: A) => {
      guard.outside(a[0]);
      await ready;
      return fn(...a);
    };

  return {
    dialect: "postgres",
    all: after(onPool.all) as Executor["all"],
    get: after(onPool.get) as Executor["get"],
    run: after(onPool.run),
    async transaction(fn) {
      guard.outside("transaction(fn)");
      await ready;
      for (let run = 0; ; run++) {
        try {
          return await runTransactionOnce(pool, (tx) => guard.inside(() => fn(tx)));
        } catch (e) {
          if (!(e instanceof TransactionLost)) throw e;
          const wait = TRANSACTION_RETRY_MS[run];
          if (!e.retry || wait === undefined) {
            throw databaseUnavailable(
              e.cause,
              e.retry ? "" : "; the transaction may have committed",
            );
          }
          logger?.warn(
            { err: e.cause, retryInMs: wait },
            "transaction lost its connection; retrying",
          );
          await sleep(wait);
        }
      }
    },
    exclusively: async (fn) => {
      await ready;
      return underLock(fn);
    },
    async listen(channel, onNotify) {
      if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`bad channel name ${channel}`);
      await ready;
      await notifications.listen(channel, onNotify);
    },
    close: async () => {
      await notifications.close();
      await pool.end();
    },
  };
}
