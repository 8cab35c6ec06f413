import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import {
  closedUntil,
  computeRollups,
  histogramQuantile,
  MINUTE_MS,
  readMetricSeries,
  rollUpMinutes,
  type SeriesQuery,
} from "../../src/monitoring/rollups/index.ts";
import type { Store } from "../../src/store/index.ts";
import { backends, openBackendStore } from "../support/backends.ts";
import { monitoringFixtures } from "./rollup-fixtures.ts";

const T0 = Date.UTC(2026, 0, 1, 12, 0);
const SETTLED = 15_000;

async function catchUp(store: Store, now: number): Promise<number> {
  let passes = 0;
  for (;;) {
    passes++;
    if (!(await rollUpMinutes(store, now)).behind) return passes;
  }
}

const query = (overrides: Partial<SeriesQuery>): SeriesQuery => ({
  metrics: [],
  from: T0,
  to: T0 + 2 * MINUTE_MS,
  stepMs: MINUTE_MS,
  filter: {},
  groupBy: [],
  ...overrides,
});

const valuesOf = async (store: Store, q: Partial<SeriesQuery>) =>
  Object.fromEntries(
    (await readMetricSeries(store, query(q))).map((s) => [
      [s.metric, ...Object.values(s.labels)].join(":"),
      s.values,
    ]),
  );

// The same suite on every storage engine (STYLE.md habit 5).
for (const backend of backends) {
  describe(`metric rollups: ${backend.name}`, () => {
    let close: (() => Promise<void>) | undefined;
    afterEach(() => close?.());

    async function open() {
      const opened = await openBackendStore(backend, T0);
      close = opened.close;
      return { store: opened.store, fx: monitoringFixtures(opened.store) };
    }

    it("rolls each closed minute up into counts, sums and latency buckets", async () => {
      const { store, fx } = await open();
      const sms = await fx.conversation(T0 + 5_000);
      await fx.event(sms, "message.received", T0 + 6_000, 3);
      await fx.event(sms, "message.queued", T0 + 7_000, 4);
      await fx.event(sms, "message.sent", T0 + 8_000, 3);
      await fx.event(sms, "message.delivered", T0 + 9_000);
      await fx.event(sms, "message.failed", T0 + 9_000);
      await fx.event(sms, "message.refused", T0 + 9_000);
      await fx.event(sms, "conversation.handoff", T0 + 10_000);
      await fx.turn(sms, T0 + 20_000, {
        latencyMs: 80,
        inputTokens: 100,
        outputTokens: 20,
        cost: 0.25,
      });
      await fx.turn(sms, T0 + 21_000, {
        latencyMs: 3000,
        error: "timeout",
        fallback: true,
        action: "block",
        findings: ["pii"],
        inputTokens: 50,
        outputTokens: 10,
        cost: 0.5,
      });
      await fx.csat(sms, 4, T0 + 30_000);
      await fx.csat(sms, 2, T0 + 31_000);
      // The next minute, another channel and version.
      const web = await fx.conversation(T0 + MINUTE_MS + 1_000, { channel: "web", version: "v2" });
      await fx.turn(web, T0 + MINUTE_MS + 2_000, { version: "v2", latencyMs: 500, cost: null });

      await catchUp(store, T0 + 2 * MINUTE_MS + SETTLED);
      const v = await valuesOf(store, {
        metrics: [
          "messages_in",
          "messages_out",
          "messages_sent",
          "messages_delivered",
          "messages_failed",
          "conversations",
          "handoffs",
          "turns",
          "turn_errors",
          "turn_fallbacks",
          "guardrail_blocks",
          "tokens_in",
          "tokens_out",
          "cost_usd",
          "csat",
          "delivery_failure_rate",
          "guardrail_violation_rate",
          "handoff_rate",
          "latency_ms_mean",
          "cost_per_conversation",
        ],
      });
      assert.deepEqual(v, {
        messages_in: [3, 0],
        messages_out: [4, 0],
        messages_sent: [3, 0],
        messages_delivered: [1, 0],
        messages_failed: [2, 0],
        conversations: [1, 1],
        handoffs: [1, 0],
        turns: [2, 1],
        turn_errors: [1, 0],
        turn_fallbacks: [1, 0],
        guardrail_blocks: [1, 0],
        tokens_in: [150, 0],
        tokens_out: [30, 0],
        cost_usd: [0.75, 0],
        csat: [3, null],
        delivery_failure_rate: [0.5, null],
        guardrail_violation_rate: [0.5, 0],
        handoff_rate: [1, 0],
        latency_ms_mean: [1540, 500],
        cost_per_conversation: [0.75, 0],
      });
      // Bucket (2000, 4000] holds the 3 s turn: p95 of the two is interpolated inside it.
      const [p95] = await readMetricSeries(store, query({ metrics: ["latency_ms_p95"] }));
      assert.deepEqual(p95?.values, [histogramQuantile(0.95, [1, 0, 0, 0, 0, 1]), 487.5]);
      assert.deepEqual(p95?.samples, [2, 1]);
    });

    it("groups and filters by agent version and channel, in wider steps", async () => {
      const { store, fx } = await open();
      const a = await fx.conversation(T0, { version: "v1" });
      const b = await fx.conversation(T0 + MINUTE_MS, { version: "v2", channel: "web" });
      await fx.turn(a, T0 + 1_000, { version: "v1", error: "boom" });
      await fx.turn(b, T0 + MINUTE_MS + 1_000, { version: "v2" });
      await fx.turn(b, T0 + MINUTE_MS + 2_000, { version: "v2" });
      // A shadow candidate's turn counts under its own version.
      await fx.turn(a, T0 + 3_000, { version: "v3", shadow: true });
      await catchUp(store, T0 + 2 * MINUTE_MS + SETTLED);

      const step = 2 * MINUTE_MS;
      assert.deepEqual(
        await valuesOf(store, {
          metrics: ["turns", "error_rate"],
          stepMs: step,
          groupBy: ["version"],
        }),
        {
          "turns:support:v1": [1],
          "turns:support:v2": [2],
          "turns:support:v3": [1],
          "error_rate:support:v1": [1],
          "error_rate:support:v2": [0],
          "error_rate:support:v3": [0],
        },
      );
      assert.deepEqual(
        await valuesOf(store, { metrics: ["turns"], stepMs: step, filter: { channel: "web" } }),
        { turns: [2] },
      );
      assert.deepEqual(
        await valuesOf(store, { metrics: ["conversations"], groupBy: ["channel"] }),
        { "conversations:sms": [1, 0], "conversations:web": [0, 1] },
      );
      // Nothing matches: one empty series, so a chart still has its axis.
      assert.deepEqual(
        await valuesOf(store, { metrics: ["turns", "csat"], filter: { agent: "x" } }),
        {
          turns: [0, 0],
          csat: [null, null],
        },
      );
    });

    it("leaves the open minute alone and recomputes a range to the same rows", async () => {
      const { store, fx } = await open();
      const now = T0 + 5 * MINUTE_MS + 5_000;
      const c = await fx.conversation(now - 1_000);
      await fx.turn(c, now - 500);
      await catchUp(store, now);
      assert.equal(await store.metricRollups.progress(), closedUntil(now));
      const turnsNow = async () =>
        (await valuesOf(store, { metrics: ["turns"], from: now - 5_000, to: now + 55_000 })).turns;
      assert.deepEqual(await turnsNow(), [0]);

      // Once the minute has closed and settled it is rolled up.
      await catchUp(store, now + MINUTE_MS + SETTLED);
      assert.deepEqual(await turnsNow(), [1]);

      // Recomputing (a pass repeated after a crash, or by another instance) changes nothing.
      const from = now - 5_000;
      const rows = await computeRollups(store.db, from, from + MINUTE_MS);
      const before = await valuesOf(store, { metrics: ["turns", "conversations"], from });
      await store.transaction((tx) =>
        tx.metricRollups.replaceRange(from, from + MINUTE_MS, rows, now),
      );
      await Promise.all([
        store.transaction((tx) => tx.metricRollups.replaceRange(from, from + MINUTE_MS, rows, now)),
        store.transaction((tx) => tx.metricRollups.replaceRange(from, from + MINUTE_MS, rows, now)),
      ]);
      assert.deepEqual(
        await valuesOf(store, { metrics: ["turns", "conversations"], from }),
        before,
      );
    });

    it("catches up after downtime in bounded passes, and instances may overlap", async () => {
      const { store, fx } = await open();
      await catchUp(store, T0 + SETTLED);
      const c = await fx.conversation(T0 + 90 * MINUTE_MS);
      await fx.turn(c, T0 + 150 * MINUTE_MS);
      const later = T0 + 3 * 60 * MINUTE_MS + SETTLED;
      const first = await rollUpMinutes(store, later);
      assert.deepEqual([first.from, first.to, first.behind], [T0, T0 + 60 * MINUTE_MS, true]);
      // Two instances catching up at once end with the same figures.
      const [x, y] = await Promise.all([catchUp(store, later), catchUp(store, later)]);
      assert.ok(x >= 1 && y >= 1);
      assert.equal(await store.metricRollups.progress(), T0 + 180 * MINUTE_MS);
      const totals = await valuesOf(store, {
        metrics: ["conversations", "turns"],
        from: T0,
        to: T0 + 180 * MINUTE_MS,
        stepMs: 180 * MINUTE_MS,
      });
      assert.deepEqual(totals, { conversations: [1], turns: [1] });
    });
  });
}
