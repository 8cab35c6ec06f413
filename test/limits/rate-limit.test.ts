import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { rateLimit, SpendCaps } from "../../src/limits/index.ts";
import { sweepRateLimits } from "../../src/limits/store-rate-limiter.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { backends, openBackendStore } from "../support/backends.ts";

for (const backend of backends) {
  describe(`limit counters on ${backend.name}`, () => {
    test("a window allows its points, refuses the rest until it ends, then starts afresh", async () => {
      const clock = new ManualClock();
      const { store, close } = await openBackendStore(backend, clock.now());
      try {
        const limit = rateLimit("t", { points: 3, seconds: 60, burst: 0 }, { db: store.db, clock });
        const taken = [];
        for (let i = 0; i < 5; i++) taken.push(await limit.take("k"));
        assert.deepEqual(
          taken.map((v) => v.ok),
          [true, true, true, false, false],
        );
        const refused = taken[4]!;
        assert.ok(!refused.ok && refused.retryAfterMs === 60_000 && refused.limit === "t");
        assert.equal((await limit.take("other")).ok, true, "keys are counted apart");
        clock.advance(30_000);
        const later = await limit.take("k");
        assert.ok(!later.ok && later.retryAfterMs === 30_000);
        clock.advance(30_000);
        assert.equal((await limit.take("k")).ok, true);
        assert.equal(await sweepRateLimits(store.db, clock.now() + 120_000), 2);
      } finally {
        await close();
      }
    });

    test("a burst allowance serves once the window is used up", async () => {
      const clock = new ManualClock();
      const { store, close } = await openBackendStore(backend, clock.now());
      try {
        const spec = { points: 2, seconds: 60, burst: 2, burstSeconds: 600 };
        const limit = rateLimit("b", spec, { db: store.db, clock });
        const ok = async () => (await limit.take("k")).ok;
        assert.deepEqual(
          [await ok(), await ok(), await ok(), await ok(), await ok()],
          [true, true, true, true, false],
        );
        clock.advance(60_000);
        // The window starts again; the burst is spent for ten minutes.
        assert.deepEqual([await ok(), await ok(), await ok()], [true, true, false]);
      } finally {
        await close();
      }
    });

    test("concurrent takes are counted exactly (one upsert each)", async () => {
      const clock = new ManualClock();
      const { store, close } = await openBackendStore(backend, clock.now());
      try {
        const limit = rateLimit(
          "c",
          { points: 25, seconds: 60, burst: 0 },
          { db: store.db, clock },
        );
        const verdicts = await Promise.all(Array.from({ length: 60 }, () => limit.take("k")));
        assert.equal(verdicts.filter((v) => v.ok).length, 25);
      } finally {
        await close();
      }
    });

    test("spend counters add up per conversation, contact and version, per UTC day", async () => {
      const clock = new ManualClock(Date.UTC(2026, 5, 1, 23, 0));
      const { store, close } = await openBackendStore(backend, clock.now());
      try {
        const caps = new SpendCaps({
          perConversation: { usd: 1 },
          perContactPerDay: { tokens: 1000 },
          perVersionPerDay: { usd: 5 },
          action: "handoff",
        });
        const keys = { conversationId: "c1", contactId: "p1", agent: { id: "a", version: "1" } };
        assert.equal(await caps.reached(store.db, keys, clock.now()), undefined);
        await caps.record(store.db, keys, { cost: 0.4, tokens: 600 }, clock.now());
        await caps.record(store.db, keys, { cost: null, tokens: 500 }, clock.now());
        assert.deepEqual(await caps.reached(store.db, keys, clock.now()), {
          scope: "contact",
          unit: "tokens",
          limit: 1000,
          spent: 1100,
        });
        clock.advance(2 * 3600_000); // the next UTC day: the contact starts afresh
        assert.equal(await caps.reached(store.db, keys, clock.now()), undefined);
        await caps.record(store.db, keys, { cost: 0.7, tokens: 1 }, clock.now());
        const cap = await caps.reached(store.db, keys, clock.now());
        assert.equal(cap?.scope, "conversation");
        assert.ok(Math.abs(cap.spent - 1.1) < 1e-9);
        const other = { ...keys, conversationId: "c2", contactId: "p2" };
        assert.equal(await caps.reached(store.db, other, clock.now()), undefined);
      } finally {
        await close();
      }
    });
  });
}
