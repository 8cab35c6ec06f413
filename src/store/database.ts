/**
 * The thin SQL seam both storage engines implement. Repositories are written once in the
 * portable subset of SQL the two engines share, with `?` placeholders; the PostgreSQL
 * implementation renumbers them to `$1..$n`.
 */
export type Dialect = "sqlite" | "postgres";

export type SqlValue = string | number | null;

export interface Executor {
  readonly dialect: Dialect;
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
}

export interface Database extends Executor {
  /**
   * Runs `fn` in one transaction: commits when it resolves, rolls back when it throws.
   * When the connection is lost before COMMIT is sent (PostgreSQL restarting, a
   * terminated backend), `fn` runs again on a new one, so it must touch nothing but `tx`
   * (work for after the commit is collected afresh on each run). When it cannot commit
   * (the database stays out of reach, or the connection broke after COMMIT was sent) it
   * rejects with `MS_DB_UNAVAILABLE` (503, Retry-After). A call on this database itself
   * from inside `fn` rejects with `MS_STORE_MISUSE` (transaction-guard.ts).
   */
  transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` while holding a lock every instance on this database takes in turn
   * (PostgreSQL: a session advisory lock; SQLite has one process, so it just runs `fn`).
   */
  exclusively<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Call `onNotify` with the payload of each notification on `channel` from any instance
   * (PostgreSQL LISTEN/NOTIFY; a payload is ids, the receiver reads the rows). After the
   * LISTEN connection was lost and is back, `onNotify` is called once with the payload
   * "": notifications sent meanwhile are gone, so the receiver reads whatever it follows
   * that may have changed (a catch-up). The embedded SQLite database has one process, so
   * there it does nothing.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<void>;
  close(): Promise<void>;
}
