import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { appendAudit, GENESIS_HASH, hashAuditEntry, verifyAudit } from "../../src/audit/index.ts";
import { openStore, type Store } from "../../src/store/index.ts";
import { backends, openBackendStore } from "../support/backends.ts";

const now = Date.UTC(2026, 0, 1);

/** Append `count` entries `agent.kill` on targets a0, a1, ... by `actor`. */
async function appendMany(store: Store, count: number, actor = "ops") {
  for (let i = 0; i < count; i++) {
    await appendAudit(
      store,
      { actor, action: "agent.kill", target: `a${i}`, data: { i } },
      now + i * 1000,
    );
  }
}

// One suite, every storage engine (STYLE.md habit 5).
for (const backend of backends) {
  describe(`audit log: ${backend.name}`, () => {
    let store: Store;
    let close: () => Promise<void>;

    before(async () => {
      ({ store, close } = await openBackendStore(backend, now));
    });
    after(() => close?.());
    beforeEach(() => store.db.run("DELETE FROM audit_log"));

    it("chains each entry to the one before, from the genesis hash", async () => {
      assert.deepEqual(await verifyAudit(store), { ok: true, entries: 0 });
      const first = await appendAudit(
        store,
        { actor: "admin", action: "agent.version.push", target: "support", data: { v: 1 } },
        now,
      );
      const second = await store.transaction((tx) =>
        appendAudit(tx, { actor: "cli:ada", action: "agent.unkill", target: "support" }, now + 1),
      );
      assert.equal(first.seq, 1);
      assert.equal(first.prevHash, GENESIS_HASH);
      assert.match(first.hash, /^[0-9a-f]{64}$/);
      assert.equal(first.hash, hashAuditEntry(first));
      assert.equal(second.seq, 2);
      assert.equal(second.prevHash, first.hash);
      assert.equal(second.data, "{}");
      assert.deepEqual(await verifyAudit(store), {
        ok: true,
        entries: 2,
        head: { seq: 2, hash: second.hash },
      });
    });

    it("rolls an entry back with the caller's transaction", async () => {
      await assert.rejects(
        store.transaction(async (tx) => {
          await appendAudit(tx, { actor: "admin", action: "agent.kill", target: "x" }, now);
          throw new Error("boom");
        }),
        /boom/,
      );
      assert.deepEqual(await store.auditLog.list({ limit: 10 }), []);
      const next = await appendAudit(store, { actor: "a", action: "b", target: "c" }, now);
      assert.equal(next.seq, 1);
    });

    it("lists newest first, filtered, a page at a time", async () => {
      await appendMany(store, 5);
      await appendAudit(store, { actor: "viewer", action: "agent.unkill", target: "a1" }, now);
      const all = await store.auditLog.list({ limit: 10 });
      assert.deepEqual(
        all.map((r) => r.seq),
        [6, 5, 4, 3, 2, 1],
      );
      const kills = await store.auditLog.list({ action: "agent.kill", beforeSeq: 4, limit: 2 });
      assert.deepEqual(
        kills.map((r) => r.seq),
        [3, 2],
      );
      const onA1 = await store.auditLog.list({ target: "a1", limit: 10 });
      assert.deepEqual(
        onA1.map((r) => r.action),
        ["agent.unkill", "agent.kill"],
      );
      assert.deepEqual(
        (await store.auditLog.list({ actor: "viewer", limit: 10 })).map((r) => r.seq),
        [6],
      );
      // Time window: from inclusive, to exclusive.
      const window = await store.auditLog.list({ from: now + 1000, to: now + 3000, limit: 10 });
      assert.deepEqual(
        window.map((r) => r.seq),
        [3, 2],
      );
    });

    it("verifies past one page", async () => {
      await store.transaction(async (tx) => {
        for (let i = 0; i < 1203; i++) {
          await appendAudit(tx, { actor: "bulk", action: "test", target: `t${i}` }, now + i);
        }
      });
      const result = await verifyAudit(store);
      assert.equal(result.ok, true);
      assert.equal(result.entries, 1203);
      assert.equal(result.head?.seq, 1203);
    });

    describe("detects tampering", () => {
      beforeEach(() => appendMany(store, 5));

      it("an entry's data changed", async () => {
        await store.db.run("UPDATE audit_log SET data = ? WHERE seq = 3", ['{"i":99}']);
        const result = await verifyAudit(store);
        assert.equal(result.ok, false);
        assert.equal(result.firstBadSeq, 3);
        assert.equal(result.entries, 2);
        assert.match(result.reason!, /^entry 3 was altered: its hash does not match/);
      });

      it("an entry removed", async () => {
        await store.db.run("DELETE FROM audit_log WHERE seq = 3");
        const result = await verifyAudit(store);
        assert.equal(result.firstBadSeq, 4);
        assert.match(result.reason!, /^entry 4 does not follow entry 2/);
      });

      it("the first entry removed", async () => {
        await store.db.run("DELETE FROM audit_log WHERE seq = 1");
        const result = await verifyAudit(store);
        assert.equal(result.firstBadSeq, 2);
        assert.match(result.reason!, /first entry but its prev_hash is not the genesis hash/);
      });

      it("two entries swapped", async () => {
        await store.transaction(async (tx) => {
          await tx.db.run("UPDATE audit_log SET seq = -1 WHERE seq = 2");
          await tx.db.run("UPDATE audit_log SET seq = 2 WHERE seq = 3");
          await tx.db.run("UPDATE audit_log SET seq = 3 WHERE seq = -1");
        });
        const result = await verifyAudit(store);
        assert.equal(result.ok, false);
        assert.equal(result.firstBadSeq, 2);
      });

      it("an entry edited with its hash recomputed", async () => {
        // Rewriting one entry's hash breaks the link of the entry after it.
        const [row] = await store.auditLog.list({ beforeSeq: 4, limit: 1 });
        const forged = { ...row!, actor: "someone-else" };
        await store.db.run("UPDATE audit_log SET actor = ?, hash = ? WHERE seq = 3", [
          forged.actor,
          hashAuditEntry(forged),
        ]);
        const result = await verifyAudit(store);
        assert.equal(result.firstBadSeq, 4);
        assert.match(result.reason!, /^entry 4 does not follow entry 3/);
      });

      it("the chain rewritten from an entry on, against a head kept before", async () => {
        const kept = (await verifyAudit(store)).head!;
        // Someone with write access re-hashes the edited entry and every one after it.
        const rows = (await store.auditLog.list({ limit: 10 })).reverse();
        let prevHash = rows[1]!.hash;
        for (const row of rows.slice(2)) {
          const forged = { ...row, actor: row.seq === 3 ? "someone-else" : row.actor, prevHash };
          prevHash = hashAuditEntry(forged);
          await store.db.run(
            "UPDATE audit_log SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?",
            [forged.actor, forged.prevHash, prevHash, row.seq],
          );
        }
        assert.equal((await verifyAudit(store)).ok, true);
        const result = await verifyAudit(store, kept);
        assert.equal(result.ok, false);
        assert.equal(result.firstBadSeq, 5);
        assert.match(result.reason!, /another hash than the known head: the log was rewritten/);
      });

      it("the newest entries removed, against a head kept before", async () => {
        const kept = (await verifyAudit(store)).head!;
        await store.db.run("DELETE FROM audit_log WHERE seq >= 4");
        assert.equal((await verifyAudit(store)).ok, true);
        const result = await verifyAudit(store, kept);
        assert.deepEqual(result, {
          ok: false,
          entries: 3,
          firstBadSeq: 5,
          reason: "entry 5 of the known head is missing: entries were removed from the end",
        });
        // A head still there, with its hash, passes.
        assert.equal((await verifyAudit(store, (await verifyAudit(store)).head)).ok, true);
      });
    });
  });
}

// Several instances on one PostgreSQL append at once: they must take turns.
const postgres = backends.find((b) => b.name === "postgres");
describe("audit log: concurrent appends from two PostgreSQL stores", { skip: !postgres }, () => {
  it("keeps one chain", async () => {
    const created = await postgres!.create();
    const a = await openStore(created.options, now);
    const b = await openStore(created.options, now);
    try {
      const appendFrom = (store: Store, actor: string) =>
        Array.from({ length: 25 }, (_, i) =>
          store.transaction((tx) =>
            appendAudit(tx, { actor, action: "race", target: `t${i}` }, now + i),
          ),
        );
      const records = await Promise.all([...appendFrom(a, "one"), ...appendFrom(b, "two")]);
      assert.deepEqual(
        records.map((r) => r.seq).sort((x, y) => x - y),
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
      const result = await verifyAudit(a);
      assert.equal(result.ok, true, result.reason);
      assert.equal(result.entries, 50);
    } finally {
      await a.close();
      await b.close();
      await created.cleanup();
    }
  });
});
