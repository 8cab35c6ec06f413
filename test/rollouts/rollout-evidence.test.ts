import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { decide } from "../../src/rollouts/index.ts";
import { seededRandom } from "../../src/shared/index.ts";
import type { SqlValue, Store } from "../../src/store/index.ts";
import { migrate } from "../../src/store/migrations.ts";
import { rebuildRolloutEvidence } from "../../src/store/repositories/rollout-evidence-rebuild.ts";
import { repositoriesOn } from "../../src/store/store.ts";
import { databaseAt } from "../store/database-at.ts";
import { backends, openBackendStore } from "../support/backends.ts";
import { plain, randomHistory, recomputed, spec } from "./random-history.ts";

/** The rows the old rollouts' evidence is computed from, per table. */
const OLD_ROWS: Record<string, string> = {
  rollouts: "id LIKE 'ro_old_%'",
  conversation_outcomes: "rollout_id LIKE 'ro_old_%'",
  agent_turns: "rollout_id LIKE 'ro_old_%' OR conversation_id LIKE 'conv_ro_old_%'",
  outcome_events: "conversation_id LIKE 'conv_ro_old_%'",
};

for (const backend of backends) {
  describe(`incremental rollout evidence: ${backend.name}`, () => {
    let store: Store;
    let close: () => Promise<void>;
    const start = Date.UTC(2026, 0, 1);
    before(async () => {
      ({ store, close } = await openBackendStore(backend, start));
    });
    after(() => close?.());

    it("equals the evidence recomputed from the stored rows, and decides the same", async () => {
      for (let seed = 1; seed <= 8; seed++) {
        const { record, now } = await randomHistory(store, seededRandom(seed), `ro_${seed}`, start);
        const incremental = await store.rolloutEvidence.read(record.id, record.stepStartedAt);
        const fromRows = await recomputed(store, record);
        assert.ok(fromRows.arms.length > 0 && fromRows.candidateTurns > 0, `seed ${seed}: data`);
        assert.deepEqual(plain(incremental), plain(fromRows), `seed ${seed}`);
        assert.deepEqual(
          decide(record, spec, incremental, now),
          decide(record, spec, fromRows, now),
          `seed ${seed}`,
        );
        // The set-based rebuild (migration 12), in chunks of a few conversations.
        await rebuildRolloutEvidence(store.db, record.id, 3);
        const rebuilt = await store.rolloutEvidence.read(record.id, record.stepStartedAt);
        assert.deepEqual(plain(rebuilt), plain(fromRows), `seed ${seed}: rebuilt`);
      }
    });

    it("is backfilled by migration 12 for rollouts stored before it", async () => {
      const histories = [];
      for (let seed = 21; seed <= 23; seed++) {
        histories.push(await randomHistory(store, seededRandom(seed), `ro_old_${seed}`, start));
      }
      const old = await databaseAt(backend, 11, start);
      try {
        for (const [table, where] of Object.entries(OLD_ROWS)) {
          const rows = await store.db.all<Record<string, SqlValue>>(
            `SELECT * FROM ${table} WHERE ${where}`,
          );
          for (const row of rows) {
            const columns = Object.keys(row);
            await old.db.run(
              `INSERT INTO ${table} (${columns.join(", ")})
               VALUES (${columns.map(() => "?").join(", ")})`,
              Object.values(row),
            );
          }
        }
        assert.deepEqual((await migrate(old.db, start))[0], 12);
        const migrated = repositoriesOn(old.db);
        for (const { record } of histories) {
          assert.deepEqual(
            plain(await migrated.rolloutEvidence.read(record.id, record.stepStartedAt)),
            plain(await store.rolloutEvidence.read(record.id, record.stepStartedAt)),
            record.id,
          );
        }
      } finally {
        await old.close();
      }
    });
  });
}
