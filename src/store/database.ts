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
  /** Runs `fn` in one transaction: commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T>;
  /**
   * Call `onNotify` on each notification on `channel` from any instance (PostgreSQL
   * LISTEN/NOTIFY). The embedded SQLite database has one process, so there it does nothing.
   */
  listen(channel: string, onNotify: () => void): Promise<void>;
  close(): Promise<void>;
}
