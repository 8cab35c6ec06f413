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
  /** Every statement's SQL, in order, when set (to see where they come from). */
  log?: string[];

  get total(): number {
    return Object.values(this.statements).reduce((a, b) => a + b, 0);
  }

  record(sql: string): Verb {
    const verb = verbOf(sql);
    this.statements[verb]++;
    this.log?.push(sql.replace(/\s+/g, " ").slice(0, 90));
    return verb;
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
    counter.writeTransactions++;
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
          if (wrote) counter.writeTransactions++;
        });
    },
    exclusively: (fn) => db.exclusively(fn),
    listen: (channel, onNotify) => db.listen(channel, onNotify),
    close: () => db.close(),
  };
}
