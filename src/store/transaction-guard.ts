import { AsyncLocalStorage } from "node:async_hooks";
import { MainstayError } from "../shared/errors.ts";

/**
 * Knows whether the caller is inside one of this database's transactions, through the
 * async context `transaction(fn)` runs `fn` in. A statement on the database itself from
 * there is a mistake on both engines: on SQLite it waits behind the open transaction for
 * ever (one connection, serialised), on PostgreSQL it runs on another connection that
 * neither sees the transaction's writes nor rolls back with it. Other requests run in
 * their own contexts and wait their turn as usual.
 */
export function transactionGuard() {
  const context = new AsyncLocalStorage<{ open: boolean }>();
  return {
    /** Run `fn` as inside a transaction of this database, until it settles. */
    async inside<T>(fn: () => Promise<T>): Promise<T> {
      const transaction = { open: true };
      try {
        return await context.run(transaction, fn);
      } finally {
        // Work `fn` started without awaiting it may use the database once it is done.
        transaction.open = false;
      }
    },
    /** Throws `MS_STORE_MISUSE` when `what` (a statement) runs inside a transaction here. */
    outside(what: string): void {
      if (context.getStore()?.open) throw misuse(what);
    },
  };
}

function misuse(what: string): MainstayError {
  return new MainstayError(
    "MS_STORE_MISUSE",
    `${what.replace(/\s+/g, " ").slice(0, 80)}: called on the store inside one of its own ` +
      "transactions; use the `tx` that transaction(fn) gave you, or read before it starts",
    500,
  );
}
