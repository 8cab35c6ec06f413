import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { MainstayError } from "../../src/shared/errors.ts";
import { openStore, type Store, type StoreOptions } from "../../src/store/index.ts";
import { backends } from "../support/backends.ts";
import { openPgSessions } from "../support/pg-sessions.ts";
import { startTcpProxy } from "../support/tcp-proxy.ts";
import { eventually } from "../support/test-app.ts";

const postgres = backends.find((b) => b.name === "postgres");
const pgUrl = process.env["MAINSTAY_TEST_DATABASE_URL"]!;

describe("PostgreSQL connections lost and found", {
  skip: !postgres && "MAINSTAY_TEST_DATABASE_URL not set",
}, () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  let sessions: Awaited<ReturnType<typeof openPgSessions>>;
  before(async () => {
    sessions = await openPgSessions(pgUrl);
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await sessions?.close();
  });

  /** A migrated store on a fresh schema, reached through `url` (default: directly). */
  async function storeOn(url?: string) {
    const created = await postgres!.create();
    cleanups.push(created.cleanup);
    const options = created.options as Extract<StoreOptions, { kind: "postgres" }>;
    const store = await openStore({ ...options, url: url ?? options.url });
    cleanups.push(() => store.close());
    return { store, schema: options.schema! };
  }

  /** Collects what `channel` hears, from the store's LISTEN and a NOTIFY of the test's own. */
  async function listening(store: Store, channel: string) {
    const heard: string[] = [];
    await store.listen(channel, (payload) => heard.push(payload));
    return {
      heard,
      notify: (payload: string) =>
        sessions.client.query("SELECT pg_notify($1, $2)", [channel, payload]),
      hears: (payload: string) =>
        eventually(async () => (heard.includes(payload) ? true : undefined), `"${payload}"`),
    };
  }

  it("a transaction whose backend is terminated before COMMIT runs again and commits once", async () => {
    const { store, schema } = await storeOn();
    const lock = await openPgSessions(pgUrl);
    cleanups.push(() => lock.close());
    await lock.client.query("BEGIN");
    await lock.client.query(`LOCK TABLE ${schema}.contacts IN EXCLUSIVE MODE`);
    let runs = 0;
    const done = store.transaction(async (tx) => {
      runs++;
      await tx.db.run(
        "INSERT INTO contacts (id, display_name, created_at, updated_at) VALUES ('c1', 'A', 1, 1)",
      );
    });
    await sessions.terminatePid(await sessions.blockedOnLock(`mainstay:${schema}`));
    await lock.client.query("ROLLBACK");
    await done;
    assert.equal(runs, 2);
    assert.deepEqual(await store.db.all("SELECT id FROM contacts"), [{ id: "c1" }]);
  });

  it("every pooled connection terminated at once: the next statements open new ones", async () => {
    const { store, schema } = await storeOn();
    await Promise.all([1, 2, 3].map(() => store.db.get("SELECT pg_sleep(0.01)")));
    assert.ok((await sessions.terminate(`mainstay:${schema}`)) > 0);
    await eventually(
      async () => ((await sessions.count(`mainstay:${schema}`)) === 0 ? true : undefined),
      "the terminated sessions to end",
    );
    const { migration } = await store.check();
    assert.ok(migration > 0);
  });

  it("LISTEN comes back after its backend is terminated: a catch-up call, then notifications again", async () => {
    const { store, schema } = await storeOn();
    const channel = "test_wakeups";
    const listener = await listening(store, channel);
    await listener.notify("before");
    await listener.hears("before");
    assert.equal(await sessions.terminate(`mainstay-listen:${schema}`), 1);
    await listener.hears("");
    await listener.notify("after");
    await listener.hears("after");
    assert.deepEqual(listener.heard, ["before", "", "after"]);
  });

  it("LISTEN comes back after an outage of some attempts (closed port), on every channel", async () => {
    const proxy = await startTcpProxy(pgUrl);
    cleanups.push(() => proxy.close());
    const { store, schema } = await storeOn(proxy.url);
    const jobs = await listening(store, "test_jobs");
    const control = await listening(store, "test_control");
    await proxy.cut("closed");
    await eventually(
      async () => ((await sessions.count(`mainstay-listen:${schema}`)) === 0 ? true : undefined),
      "the LISTEN session to end",
    );
    await jobs.notify("missed");
    // Reconnects fail meanwhile; the store still answers nothing but 503s.
    await assert.rejects(store.contacts.getContact("c1"), (e: unknown) => {
      assert.ok(e instanceof MainstayError);
      assert.equal(e.code, "MS_DB_UNAVAILABLE");
      assert.equal(e.status, 503);
      assert.deepEqual(e.details, { retryAfterSeconds: 2 });
      return true;
    });
    await assert.rejects(
      store.transaction(async () => undefined),
      (e: unknown) => e instanceof MainstayError && e.code === "MS_DB_UNAVAILABLE",
    );
    await proxy.restore();
    await jobs.hears("");
    await control.hears("");
    await control.notify("after");
    await control.hears("after");
    assert.ok(!jobs.heard.includes("missed"));
  });

  it("a statement whose connection is lost mid-flight rejects with MS_DB_UNAVAILABLE, not a crash", async () => {
    const { store, schema } = await storeOn();
    // The handler is attached at once: the rejection may land before the kill below returns.
    const running = store.db.get("SELECT pg_sleep(30)").then(
      () => undefined,
      (e: unknown) => e,
    );
    const pid = await eventually(async () => {
      const { rows } = await sessions.client.query<{ pid: number }>(
        "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'SELECT pg_sleep%'",
        [`mainstay:${schema}`],
      );
      return rows[0]?.pid;
    }, "the sleeping statement");
    await sessions.terminatePid(pid);
    const error = await running;
    assert.ok(
      error instanceof MainstayError && error.status === 503,
      `expected a 503, got ${String(error)}`,
    );
  });
});
