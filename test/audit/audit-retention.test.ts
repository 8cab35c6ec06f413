import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import pino from "pino";
import { appendAudit, purgeAudit, verifyAudit } from "../../src/audit/index.ts";
import { createRetention, retentionConfigSchema } from "../../src/governance/index.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import type { Store } from "../../src/store/index.ts";
import { backends, openBackendStore } from "../support/backends.ts";

const DAY = 86_400_000;
const start = Date.UTC(2026, 0, 1);

/** One entry a day for `days` days from `start`. */
async function appendDaily(store: Store, days: number) {
  for (let i = 0; i < days; i++) {
    await appendAudit(
      store,
      { actor: "ops", action: "agent.kill", target: `a${i}` },
      start + i * DAY,
    );
  }
}

for (const backend of backends) {
  describe(`audit retention: ${backend.name}`, () => {
    let store: Store;
    let close: () => Promise<void>;

    before(async () => {
      ({ store, close } = await openBackendStore(backend, start));
    });
    after(() => close?.());
    beforeEach(async () => {
      await store.db.run("DELETE FROM audit_log");
      await store.db.run("DELETE FROM audit_chain_start");
    });

    it("purges the entries before the cutoff and the chain still verifies from there", async () => {
      await appendDaily(store, 10);
      const before = await verifyAudit(store);
      const now = start + 10 * DAY;
      const result = await purgeAudit(store, start + 4 * DAY, now);
      assert.deepEqual(result, { purged: 4, throughSeq: 4 });
      const kept = await store.auditLog.page(0, 100, 100);
      assert.deepEqual(
        kept.map((e) => e.seq),
        [5, 6, 7, 8, 9, 10, 11],
      );
      assert.equal(kept.at(-1)!.action, "audit.purge");
      assert.equal(
        kept.at(-1)!.data,
        JSON.stringify({ throughSeq: 4, entries: 4, cutoff: start + 4 * DAY }),
      );
      const after = await verifyAudit(store);
      assert.equal(after.ok, true, after.reason);
      assert.equal(after.entries, 7);
      assert.equal(after.purgedThrough, 4);
      // A head taken before the purge, still kept, checks as before.
      assert.equal((await verifyAudit(store, before.head)).ok, true);
    });

    it("never purges the newest entry, so the next append still chains", async () => {
      await appendDaily(store, 3);
      const result = await purgeAudit(store, start + 100 * DAY, start + 100 * DAY);
      assert.equal(result.purged, 2);
      await appendAudit(
        store,
        { actor: "ops", action: "agent.unkill", target: "a" },
        start + 101 * DAY,
      );
      const verified = await verifyAudit(store);
      assert.equal(verified.ok, true, verified.reason);
      assert.equal(verified.entries, 3); // the kept head, audit.purge, the new entry
    });

    it("refuses a known head that retention purged, naming where the log now starts", async () => {
      await appendDaily(store, 6);
      const old = { seq: 2, hash: (await store.auditLog.page(1, 2, 1))[0]!.hash };
      const atStart = { seq: 3, hash: (await store.auditLog.page(2, 3, 1))[0]!.hash };
      await purgeAudit(store, start + 3 * DAY, start + 6 * DAY);
      const refused = await verifyAudit(store, old);
      assert.equal(refused.ok, false);
      assert.match(refused.reason!, /purged by retention \(the log is kept from entry 4\)/);
      // The last purged entry is the chain's start: a head on it still checks.
      assert.equal((await verifyAudit(store, atStart)).ok, true);
      assert.equal((await verifyAudit(store, { ...atStart, hash: "f".repeat(64) })).ok, false);
    });

    it("keeps entries that do not verify instead of purging the evidence", async () => {
      await appendDaily(store, 6);
      await store.db.run("UPDATE audit_log SET target = 'forged' WHERE seq = 3");
      const result = await purgeAudit(store, start + 5 * DAY, start + 6 * DAY);
      assert.equal(result.purged, 0);
      assert.match(result.refused!, /entry 3 was altered/);
      assert.equal((await store.auditLog.page(0, 100, 100)).length, 6);
      assert.equal(await store.auditLog.chainStart(), undefined);
    });

    it("finds entries removed after the chain start, or a start moved by hand", async () => {
      await appendDaily(store, 6);
      await purgeAudit(store, start + 2 * DAY, start + 6 * DAY);
      await store.db.run("DELETE FROM audit_log WHERE seq = 3");
      const gap = await verifyAudit(store);
      assert.equal(gap.ok, false);
      assert.equal(gap.firstBadSeq, 4);
      assert.match(gap.reason!, /does not follow entry 2, where retention left the chain/);
    });

    it("runs in the retention pass on its own clock, chunk by chunk, and counts what it purged", async () => {
      await appendDaily(store, 450);
      const clock = new ManualClock(start + 460 * DAY);
      const counted: Record<string, number> = {};
      const retention = createRetention({
        store,
        config: retentionConfigSchema.parse({ audit: "30d" }),
        clock,
        logger: pino({ level: "silent" }),
        onPurged: (c, n) => {
          counted[c] = (counted[c] ?? 0) + n;
        },
      });
      const counts = await retention.runOnce();
      // Kept: the 20 entries of the last 30 days, and the pass's own audit.purge entry.
      assert.equal(counts.audit, 430);
      assert.equal(counted["audit"], 430);
      const verified = await verifyAudit(store);
      assert.equal(verified.ok, true, verified.reason);
      assert.equal(verified.entries, 21);
      // A second pass has nothing left to purge and writes no entry of its own.
      assert.equal((await retention.runOnce()).audit, 0);
      assert.equal((await verifyAudit(store)).entries, 21);
    });
  });
}
