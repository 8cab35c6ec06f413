import pg from "pg";
import type { Database, Executor, SqlValue } from "../database.ts";

// BIGINT (int8) columns hold epoch milliseconds and counters that fit a JS number.
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === 20
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

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
  const query = async <T>(sql: string, params: readonly SqlValue[] = []) =>
    client.query(toPostgres(sql), params as SqlValue[]) as unknown as Promise<
      pg.QueryResult<T & pg.QueryResultRow>
    >;
  return {
    dialect: "postgres",
    all: async <T>(sql: string, params?: readonly SqlValue[]) =>
      (await query<T>(sql, params)).rows as T[],
    get: async <T>(sql: string, params?: readonly SqlValue[]) =>
      (await query<T>(sql, params)).rows[0] as T | undefined,
    run: async (sql, params) => ({ changes: (await query(sql, params)).rowCount ?? 0 }),
  };
}

export interface PostgresOptions {
  url: string;
  /** Schema to use (created if missing); tests use a throwaway one each. */
  schema?: string;
  max?: number;
}

export function openPostgresDatabase(options: PostgresOptions): Database {
  const schema = options.schema;
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    types,
    // Every connection works inside the configured schema.
    options: schema ? `-c search_path=${schema}` : undefined,
  });
  pool.on("error", () => {
    // An idle client lost its connection; the pool replaces it on the next checkout.
  });
  const ready = schema
    ? pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).then(() => undefined)
    : Promise.resolve();
  const onPool = executorOn(pool);
  const listeners: pg.Client[] = [];
  const after =
    <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
    async (...a: A) => {
      await ready;
      return fn(...a);
    };

  return {
    dialect: "postgres",
    all: after(onPool.all) as Executor["all"],
    get: after(onPool.get) as Executor["get"],
    run: after(onPool.run),
    async transaction(fn) {
      await ready;
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn(executorOn(client));
        await client.query("COMMIT");
        return result;
      } catch (e) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    async listen(channel, onNotify) {
      if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`bad channel name ${channel}`);
      await ready;
      // A dedicated connection: a pooled one would be handed to other queries.
      const client = new pg.Client({ connectionString: options.url });
      client.on("notification", (n) => {
        if (n.channel === channel) onNotify();
      });
      client.on("error", () => {
        // Lost connection: workers still poll, so only the wake-up shortcut is gone.
      });
      await client.connect();
      await client.query(`LISTEN ${channel}`);
      listeners.push(client);
    },
    close: async () => {
      await Promise.all(listeners.map((c) => c.end().catch(() => undefined)));
      await pool.end();
    },
  };
}
