import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Job } from "../../src/jobs/index.ts";
import { PROXY_RECORD_JOB, proxyRecordHandler } from "../../src/proxy/index.ts";
import { backends } from "../support/backends.ts";
import { MAX_RETRY_DELAY_MS, startProxy } from "./start-proxy.ts";

const answer = () => ({ text: "Your order ships on Monday." });
const ask = (proxy: Awaited<ReturnType<typeof startProxy>>, content = "When does it ship?") =>
  proxy.openai.chat.completions.create({ model: "m", messages: [{ role: "user", content }] });

async function jobs(proxy: Awaited<ReturnType<typeof startProxy>>) {
  return proxy.store.db.all<{ status: string; attempts: number; payload: string }>(
    "SELECT status, attempts, payload FROM jobs WHERE kind = ?",
    [PROXY_RECORD_JOB],
  );
}

for (const backend of backends) {
  describe(`proxy recording (${backend.name})`, () => {
    test("the answer does not wait for the record, which is stored once the outbox is idle", async (t) => {
      let release!: () => void;
      const enqueueGate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const proxy = await startProxy(answer, { backend, enqueueGate });
      t.after(proxy.close);
      // Both answers arrive while no record job can be written.
      const answers = await Promise.all([ask(proxy), ask(proxy, "And the invoice?")]);
      assert.deepEqual(
        answers.map((a) => a.choices[0]?.message.content),
        ["Your order ships on Monday.", "Your order ships on Monday."],
      );
      assert.equal((await jobs(proxy)).length, 0);
      assert.equal((await proxy.stored()).length, 0);

      release();
      await proxy.records.idle();
      const [job, ...more] = await jobs(proxy);
      const inJobs = [job, ...more].flatMap(
        (j) => (JSON.parse(j!.payload) as { exchanges: unknown[] }).exchanges,
      );
      assert.equal(inJobs.length, 2);
      const [conversation, ...others] = await proxy.recorded();
      assert.equal(others.length, 0);
      assert.deepEqual(conversation!.messages.map((m) => m.text).sort(), [
        "And the invoice?",
        "When does it ship?",
        "Your order ships on Monday.",
        "Your order ships on Monday.",
      ]);
      assert.equal((await jobs(proxy)).length, 0);
      assert.deepEqual(proxy.lost, []);
    });

    test("a record job that fails is retried and stores the exchange once", async (t) => {
      const proxy = await startProxy(answer, { backend, failingRecordRuns: 1 });
      t.after(proxy.close);
      await ask(proxy);
      await proxy.records.idle();
      assert.equal(await proxy.worker.runOnce(), 1);
      assert.equal((await proxy.stored()).length, 0);
      assert.deepEqual(
        (await jobs(proxy)).map((j) => [j.status, j.attempts]),
        [["ready", 1]],
      );

      proxy.clock.advance(MAX_RETRY_DELAY_MS);
      const [conversation] = await proxy.recorded();
      assert.equal(conversation?.messages.length, 2);
      assert.equal((await jobs(proxy)).length, 0);
    });

    test("a record job run twice (its completion lost) stores its exchanges once", async (t) => {
      const proxy = await startProxy(answer, { backend });
      t.after(proxy.close);
      await ask(proxy);
      await proxy.records.idle();
      const [row] = await jobs(proxy);
      const job = { id: 1, kind: PROXY_RECORD_JOB, payload: JSON.parse(row!.payload) };
      const handler = proxyRecordHandler({ service: proxy.service });
      await handler.run(job as unknown as Job);
      await handler.run(job as unknown as Job);
      const [conversation] = await proxy.stored();
      assert.equal(conversation?.messages.length, 2);
    });
  });
}

test("an exchange whose record job cannot be written is reported lost, not the answer", async (t) => {
  const enqueueGate = Promise.reject(new Error("disk full"));
  enqueueGate.catch(() => undefined);
  const proxy = await startProxy(answer, { enqueueGate });
  t.after(proxy.close);
  const completion = await ask(proxy);
  assert.equal(completion.choices[0]?.message.content, "Your order ships on Monday.");
  await proxy.records.idle();
  assert.equal(proxy.lost.length, 1);
  assert.match(String(proxy.lost[0]?.error), /disk full/);
  assert.equal(proxy.lost[0]?.exchanges.length, 1);
  assert.equal((await proxy.recorded()).length, 0);
});
