import type { Database, Executor } from "./database.ts";

type Verb = "select" | "insert" | "update" | "delete" | "other";

/**
 * Counts the statements and transactions a database runs, by verb: what the test of
 * statements per message and `npm run bench -- pipeline` read. A transaction that wrote
 * anything is a write transaction (one commit that reaches the disk).
 */
export class StatementCounter {
  readonly statements: Record<Verb, number> = {
    select: 0,
    insert: 0,
    update: 0,
    delete: 0,
    other: 0,
  };
  transactions = 0;
  writeTransactions = 0;
  /**
   * Every statement's SQL, in order, when set, each with the code that issued it and a
   * `-- commit` line after each write transaction: what the statements-per-message test
   * prints with STATEMENT_LOG=1.
   */
  log?: string[];

  get total(): number {
    return Object.values(this.statements).reduce((a, b) => a + b, 0);
  }

  record(sql: string): Verb {
    const verb = verbOf(sql);
    this.statements[verb]++;
    this.log?.push(`${sql.replace(/\s+/g, " ").slice(0, 90).padEnd(90)}  ${issuer()}`);
    return verb;
  }

  /** Marks the end of a write transaction in the log. */
  committed(): void {
    this.writeTransactions++;
    this.log?.push("-- commit");
  }

  /** A copy of the counts, to subtract from a later one. */
  snapshot() {
    return {
      statements: { ...this.statements },
      total: this.total,
      transactions: this.transactions,
      writeTransactions: this.writeTransactions,
    };
  }
}

/** The first caller outside the store and this module's wrappers: who ran the statement. */
function issuer(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  const frames = (new Error().stack ?? "").split("\n").slice(1);
  Error.stackTraceLimit = limit;
  for (const frame of frames) {
    const at = /\/src\/(.+?):(\d+):\d+\)?$/.exec(frame);
    if (at && !at[1]!.startsWith("store/")) return `${at[1]}:${at[2]}`;
  }
  return "store";
}

function verbOf(sql: string): Verb {
  // WITH ... SELECT, comments and whitespace first are rare in our SQL; the first word decides.
  const word = /^\s*(\w+)/.exec(sql)?.[1]?.toLowerCase();
  return word === "select" || word === "insert" || word === "update" || word === "delete"
    ? word
    : word === "with"
      ? "select"
      : "other";
}

/** `db`, counting every statement and transaction on `counter`. */
export function countedDatabase(db: Database, counter: StatementCounter): Database {
  const counted = (executor: Executor, onWrite?: () => void): Executor => {
    // `UPDATE ... RETURNING` comes through `all` and `get` too.
    const wrote = (verb: Verb) => {
      if (verb !== "select") onWrite?.();
    };
    return {
      dialect: executor.dialect,
      all(sql, params) {
        wrote(counter.record(sql));
        return executor.all(sql, params);
      },
      get(sql, params) {
        wrote(counter.record(sql));
        return executor.get(sql, params);
      },
      run(sql, params) {
        wrote(counter.record(sql));
        return executor.run(sql, params);
      },
    };
  };
  // A write outside a transaction commits on its own: one write transaction each.
  const autocommit = () => {
    counter.transactions++;
    counter.committed();
  };
  return {
    ...counted(db, autocommit),
    transaction(fn) {
      let wrote = false;
      return db
        .transaction((tx) =>
          fn(
            counted(tx, () => {
              wrote = true;
            }),
          ),
        )
        .finally(() => {
          counter.transactions++;
          if (wrote) counter.committed();
        });
    },
    exclusively: (fn) => db.exclusively(fn),
    listen: (channel, onNotify) => db.listen(channel, onNotify),
    close: () => db.close(),
  };
}
