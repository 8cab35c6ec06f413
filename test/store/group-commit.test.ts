import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isMainstayError } from "../../src/shared/errors.ts";
import { GroupCommit } from "../../src/store/index.ts";

/** A commit that waits until the test lets it finish, and records what each batch held. */
function gatedCommits() {
  const batches: number[][] = [];
  const gates: Array<{
    open: (refused?: readonly unknown[]) => void;
    fail: (e: Error) => void;
  }> = [];
  const commit = (batch: readonly number[]) => {
    batches.push([...batch]);
    return new Promise<readonly unknown[] | undefined>((open, fail) => gates.push({ open, fail }));
  };
  return { batches, gates, commit };
}

const turn = () => new Promise((done) => setImmediate(done));

describe("group commit", () => {
  it("commits everything submitted in one turn together, and what came meanwhile next", async () => {
    const { batches, gates, commit } = gatedCommits();
    const group = new GroupCommit<number>({ commit, maxBatch: 100, maxWaiting: 1000 });
    const settled: number[] = [];
    const first = [1, 2, 3].map((n) => group.submit(n).then(() => settled.push(n)));
    await turn();
    assert.deepEqual(batches, [[1, 2, 3]]);
    // While that commit runs, more arrive: they wait for the next one.
    const second = [4, 5].map((n) => group.submit(n).then(() => settled.push(n)));
    await turn();
    assert.deepEqual(batches, [[1, 2, 3]], "one commit at a time");
    assert.deepEqual(settled, [], "nothing is answered before its commit");
    gates[0]!.open();
    await Promise.all(first);
    await turn();
    assert.deepEqual(batches, [
      [1, 2, 3],
      [4, 5],
    ]);
    assert.deepEqual(settled, [1, 2, 3]);
    gates[1]!.open();
    await Promise.all(second);
    assert.deepEqual(settled, [1, 2, 3, 4, 5]);
  });

  it("splits at maxBatch", async () => {
    const { batches, gates, commit } = gatedCommits();
    const group = new GroupCommit<number>({ commit, maxBatch: 2, maxWaiting: 1000 });
    const all = [1, 2, 3, 4, 5].map((n) => group.submit(n));
    for (let i = 0; i < 3; i++) {
      await turn();
      gates[i]!.open();
      await turn();
    }
    await Promise.all(all);
    assert.deepEqual(batches, [[1, 2], [3, 4], [5]]);
  });

  it("a failed commit fails its own batch only", async () => {
    const { gates, commit } = gatedCommits();
    const group = new GroupCommit<number>({ commit, maxBatch: 100, maxWaiting: 1000 });
    const lost = [group.submit(1), group.submit(2)];
    await turn();
    const kept = group.submit(3);
    gates[0]!.fail(new Error("disk full"));
    for (const p of lost) await assert.rejects(p, /disk full/);
    await turn();
    gates[1]!.open();
    await kept;
  });

  it("rejects the items a commit refused, and resolves the rest", async () => {
    const { gates, commit } = gatedCommits();
    const group = new GroupCommit<number>({ commit, maxBatch: 100, maxWaiting: 1000 });
    const all = [1, 2, 3].map((n) => group.submit(n));
    await turn();
    gates[0]!.open([undefined, new Error("over the limit")]);
    await all[0];
    await assert.rejects(all[1]!, /over the limit/);
    await all[2];
  });

  it("refuses with a 503 and Retry-After once maxWaiting items wait", async () => {
    const { gates, commit } = gatedCommits();
    const group = new GroupCommit<number>({ commit, maxBatch: 1, maxWaiting: 2 });
    const a = group.submit(1);
    const b = group.submit(2);
    const refused = await group.submit(3).catch((e: unknown) => e);
    assert.ok(isMainstayError(refused));
    assert.equal(refused.code, "MS_INTAKE_BUSY");
    assert.equal(refused.status, 503);
    assert.deepEqual(refused.details, { retryAfterSeconds: 1 });
    const drained = group.drain();
    await turn();
    gates[0]!.open();
    await a;
    await turn();
    gates[1]!.open();
    await b;
    await drained;
    assert.equal(group.pending, 0);
  });
});
