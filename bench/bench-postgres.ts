/**
 * The PostgreSQL the benchmarks may use, and the throwaway schemas they measure in: each
 * benchmark opens its store in a schema of its own (PostgreSQL creates it on first use by
 * the store) and drops it when done.
 */
import pg from "pg";

/** MAINSTAY_TEST_DATABASE_URL, else DATABASE_URL; undefined: the benchmarks run on SQLite only. */
export function benchDatabaseUrl(): string | undefined {
  return process.env["MAINSTAY_TEST_DATABASE_URL"] ?? process.env["DATABASE_URL"];
}

/** Drops `schema` and everything in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
