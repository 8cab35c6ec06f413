import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { openStore, StatementCounter, type Store } from "../../src/store/index.ts";
import { backends } from "../support/backends.ts";
import { queueDrained, signedWebhook, startTestApp, type TestApp } from "../support/test-app.ts";

const MESSAGES = 20;
const MODES = ["direct", "queued"] as const;

/**
 * What one inbound message costs the database end to end: intake, the agent's turn, the
 * reply and its delivery. The queue is watched through a second connection, and the worker
 * only wakes when work is queued, so the counts are the pipeline's own.
 */
describe("statements per message, end to end", () => {
  for (const [backend, mode] of backends.flatMap((b) => MODES.map((m) => [b, m] as const))) {
    describe(`${backend.name}, ${mode} intake`, () => {
      const counter = new StatementCounter();
      let app: TestApp;
      let watcher: Store;
      let cleanup: () => Promise<void>;
      before(async () => {
        const created = await backend.create();
        cleanup = created.cleanup;
        // The bounds are for encryption off, also under MAINSTAY_TEST_ENCRYPTION (which adds
        // a search-token insert per message).
        const { encryption: _sealed, ...options } = created.options;
        app = await startTestApp({
          store: { ...options, statements: counter },
          outbox: "{ maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50, pollIntervalMs: 600000 }",
          extraYaml: `intake: { mode: ${mode} }`,
        });
        watcher = await openStore(options);
      });
      after(async () => {
        await watcher?.close();
        await app?.dispose();
        await cleanup?.();
      });

      it("counts statements and write transactions per message", async () => {
        // A first message from each customer, then a second one in the same conversation.
        const send = async (round: number) => {
          const start = counter.snapshot();
          for (let i = 0; i < MESSAGES; i++) {
            const res = await app.app.inject(
              signedWebhook({
                id: `m-${round}-${i}`,
                from: `+1555010${String(i).padStart(4, "0")}`,
                text: round === 0 ? "How long does shipping take?" : "Do you ship to Canada?",
              }),
            );
            assert.equal(res.statusCode, 202);
            await queueDrained(watcher);
          }
          const end = counter.snapshot();
          return {
            statements: (end.total - start.total) / MESSAGES,
            writeTransactions: (end.writeTransactions - start.writeTransactions) / MESSAGES,
            byVerb: Object.fromEntries(
              Object.entries(end.statements).map(([verb, n]) => [
                verb,
                (n - start.statements[verb as keyof typeof start.statements]) / MESSAGES,
              ]),
            ),
          };
        };
        const first = await send(0);
        counter.log = [];
        const later = await send(1);
        if (process.env["STATEMENT_LOG"]) {
          console.log(JSON.stringify({ backend: backend.name, mode, first, later }));
          console.log(counter.log.slice(0, 60).join("\n"));
        }
        // Measured on 2026-12-03, before: 45 / 39 statements (first / later message) on
        // SQLite, 48 / 42 on PostgreSQL, 7-8 commits. After (events in one multi-row INSERT
        // per transaction, the reply's touch as its state re-check, no read after an insert,
        // no claim when the queue had nothing more): 38 / 35 on SQLite, 40 / 37 on
        // PostgreSQL; 7 commits on SQLite (the intake transaction, two rate-limit upserts,
        // two claims, the turn's and the delivery's transactions, each of which also
        // completes its job). On 2026-12-07 the worker stopped claiming again on the echo of
        // its own instance's NOTIFY (signed announcements): PostgreSQL is now 38.1 / 35.1
        // statements and 7 commits too, the same in every run.
        // 2026-12-08, queued intake, one message at a time: 45 / 42 and 9 commits. The item
        // and its job (one commit, a batch of one here), and the `inbound.store` job's claim,
        // item read, dedupe read and item delete come on top; under load one intake commit
        // carries a batch (`npm run bench -- pipeline`: 0.03 commits a message).
        // Later that day the two rate-limit upserts moved into the intake's transaction (the
        // direct intake's, the queued intake's batch): 5 commits direct, 7 queued; and the
        // direct intake reads the sender's counter before screening (a flood is turned away
        // unscreened): 39 / 36 statements.
        // The target is 15 statements and 2 commits (issue #17): these bounds keep the
        // counts from growing again.
        const slack = 1.5;
        const bound =
          mode === "direct"
            ? { first: 39, later: 36, commits: 5 }
            : { first: 45, later: 42, commits: 7 };
        assert.ok(
          first.statements <= bound.first + slack,
          `${first.statements} statements, first message`,
        );
        assert.ok(
          later.statements <= bound.later + slack,
          `${later.statements} statements, later message`,
        );
        const commits = bound.commits;
        assert.ok(
          later.writeTransactions <= commits,
          `${later.writeTransactions} commits per message`,
        );
      });
    });
  }
});
