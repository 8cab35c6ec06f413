import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { latestEvalResult } from "../../src/evaluation/index.ts";
import type { EvalRunRecord } from "../../src/store/index.ts";
import { backends, openBackendStore } from "../support/backends.ts";

const T0 = Date.UTC(2026, 2, 1);

const run = (id: string, overrides: Partial<EvalRunRecord>): EvalRunRecord => ({
  id,
  kind: "eval",
  agentId: "support",
  agentVersion: "v_aaaaaaaaaaaa",
  baselineVersion: null,
  name: "basics",
  passed: true,
  summary: { passRate: 1 },
  cases: [{ name: "delivery", status: "pass" }],
  startedAt: T0,
  finishedAt: T0 + 1000,
  ...overrides,
});

for (const backend of backends) {
  describe(`eval runs on ${backend.name}`, () => {
    it("keeps each run, and the latest eval verdict of a version is what a rollout reads", async () => {
      const { store, close } = await openBackendStore(backend, T0);
      try {
        await store.evalRuns.insert(run("eval_1", { finishedAt: T0 + 1000 }));
        await store.evalRuns.insert(
          run("eval_2", {
            passed: false,
            baselineVersion: "v_bbbbbbbbbbbb",
            finishedAt: T0 + 5000,
          }),
        );
        // A red-team run is newer but is not an eval verdict.
        await store.evalRuns.insert(run("eval_3", { kind: "redteam", finishedAt: T0 + 9000 }));
        await store.evalRuns.insert(run("eval_4", { agentVersion: "v_cccccccccccc" }));

        assert.deepEqual(await latestEvalResult(store, "support", "v_aaaaaaaaaaaa"), {
          passed: false,
          runId: "eval_2",
          finishedAt: T0 + 5000,
        });
        assert.equal(await latestEvalResult(store, "support", "v_dddddddddddd"), undefined);
        assert.equal(await latestEvalResult(store, "other", "v_aaaaaaaaaaaa"), undefined);

        const all = await store.evalRuns.list("support", "v_aaaaaaaaaaaa", { limit: 10 });
        assert.deepEqual(
          all.map((r) => [r.id, r.kind]),
          [
            ["eval_3", "redteam"],
            ["eval_2", "eval"],
            ["eval_1", "eval"],
          ],
        );
        assert.deepEqual(await store.evalRuns.get("eval_2"), all[1]);
        assert.deepEqual(all[1]!.cases, [{ name: "delivery", status: "pass" }]);
        assert.equal(all[1]!.baselineVersion, "v_bbbbbbbbbbbb");
      } finally {
        await close();
      }
    });
  });
}
