import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parseRolloutBody, rolloutFacts } from "../../src/rollouts/index.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { seededRandom } from "../../src/shared/random.ts";
import { plain } from "../rollouts/random-history.ts";
import { type Backend, backends } from "../support/backends.ts";
import { auth } from "../support/test-app.ts";
import { RUDE, type ScriptedLlm, startQualityApp, startScriptedLlm } from "./quality-app.ts";

const HOUR = 3_600_000;
const START = Date.UTC(2026, 0, 1, 9);

/** Status and reason of every sampler decision, counted. */
async function decisions(app: Awaited<ReturnType<typeof startQualityApp>>["app"]) {
  const rows = await app.store.db.all<{ status: string; reason: string | null; n: number }>(
    "SELECT status, reason, COUNT(*) AS n FROM quality_scores GROUP BY status, reason",
  );
  return Object.fromEntries(rows.map((r) => [`${r.status}:${r.reason ?? ""}`, Number(r.n)]));
}

for (const backend of backends) {
  describe(`live quality: ${backend.name}`, () => {
    let llm: ScriptedLlm;
    const places: { cleanup(): Promise<void> }[] = [];
    const place = async (b: Backend) => {
      const created = await b.create();
      places.push(created);
      return created.options;
    };
    before(async () => {
      llm = await startScriptedLlm();
    });
    after(async () => {
      await llm.close();
      for (const p of places) await p.cleanup();
    });

    it("samples every escalation and guardrail hit and a seeded share of the rest, within the daily cap", async () => {
      const clock = new ManualClock(START);
      const q = await startQualityApp({
        llm,
        clock,
        random: seededRandom(21),
        store: await place(backend),
        quality: "sample: { share: 0.25 }, dailyCap: { calls: 10 }",
      });
      try {
        for (let i = 0; i < 4; i++) await q.converse("What is the card on my account?");
        const taken: string[] = [];
        for (let i = 0; i < 3; i++) taken.push(await q.converse("Where is my parcel?"));
        for (let i = 0; i < 24; i++) await q.converse("How long does delivery take?");
        // A person takes over three conversations: escalations.
        for (const id of taken) {
          const res = await q.inject({
            method: "POST",
            url: `/api/v1/conversations/${id}/take`,
            headers: auth,
            payload: { agentName: "Ana" },
          });
          assert.ok(res.statusCode < 300, res.body);
        }
        // Only the taken-over ones are finished (escalated): judged at once; the rest wait.
        clock.advance(2 * 60_000);
        await q.judgeAll();
        const early = await decisions(q.app);
        assert.equal(early["judged:escalation"], 3, JSON.stringify(early));
        assert.equal(early["waiting:"], 28, JSON.stringify(early));

        clock.advance(2 * HOUR);
        await q.judgeAll();
        const first = await decisions(q.app);
        const sampled = (first["pending:random"] ?? 0) + (first["judged:random"] ?? 0);
        assert.equal(
          (first["judged:guardrail"] ?? 0) + (first["pending:guardrail"] ?? 0),
          4,
          JSON.stringify(first),
        );
        assert.ok(sampled >= 2 && sampled <= 12, `a share of 24 sampled: ${sampled}`);
        assert.equal((first["skipped:"] ?? 0) + sampled, 24, JSON.stringify(first));
        const judgedFirst = Object.entries(first)
          .filter(([k]) => k.startsWith("judged:"))
          .reduce((n, [, v]) => n + v, 0);
        assert.equal(judgedFirst, Math.min(10, 7 + sampled), "the cap stops judging for the day");
        const capped = (
          await q.inject({ url: "/api/v1/agents/support/quality", headers: auth })
        ).json();
        assert.equal(capped.judgeToday.calls, 10);
        assert.equal(capped.judgeToday.tokens, 10 * 230);

        // The cap holds for the rest of the day, and judging resumes the next UTC day.
        clock.advance(HOUR);
        await q.judgeAll();
        assert.deepEqual(await decisions(q.app), first);
        clock.set(Date.UTC(2026, 0, 2, 0, 5));
        await q.judgeAll();
        const next = await decisions(q.app);
        assert.equal(next["pending:random"] ?? 0, 0, JSON.stringify(next));
        assert.equal(next["pending:guardrail"] ?? 0, 0, JSON.stringify(next));
        assert.equal(next["judged:escalation"], 3);

        const body = (
          await q.inject({
            url: `/api/v1/agents/support/quality?from=${new Date(START).toISOString()}`,
            headers: auth,
          })
        ).json();
        assert.equal(body.data.length, 1);
        assert.equal(body.data[0].judged, 7 + sampled);
        assert.equal(body.data[0].score, 1);
        assert.deepEqual(body.data[0].sampledBecause, {
          escalation: 3,
          guardrail: 4,
          random: sampled,
        });
        assert.equal(body.data[0].criteria.factual_grounding, 1);
      } finally {
        await q.dispose();
      }
    });

    it("judges a rude canary low: the quality gate rolls it back, the rollups and alert rules see it", async () => {
      const clock = new ManualClock(START);
      const q = await startQualityApp({
        llm,
        clock,
        random: seededRandom(5),
        store: await place(backend),
        quality: "sample: { share: 1 }, badBelow: 0.5",
        extraYaml: `alerts:
  rules:
    - { name: quality_low, metric: quality_score, window: 1h, groupBy: [version], condition: { below: 0.5 }, minSample: 3 }
    - { name: quality_drift, metric: quality_score, window: 1h, groupBy: [agent], condition: { against: baseline, decrease: 0.3 }, minSample: 3 }
`,
      });
      try {
        const candidate = await q.pushBad();
        const rollout = await q.app.rollouts.start(
          parseRolloutBody({
            agent: "support",
            candidate,
            steps: [{ canary: 0.5, minConversations: 1000 }],
            gates: [{ metric: "quality" }],
          }),
          "test",
        );
        for (let i = 0; i < 40; i++) await q.converse("How long does delivery take?");
        await q.app.rollouts.idle();
        assert.equal((await q.app.rollouts.status(rollout.id)).rollout.state, "running");

        clock.advance(2 * HOUR);
        await q.judgeAll();

        // The counts kept score by score equal the evidence recomputed from the rows.
        const record = (await q.app.rollouts.status(rollout.id)).rollout;
        const [outcomes, turns, events, bad] = await Promise.all([
          q.app.store.outcomes.forRollout(rollout.id),
          q.app.store.outcomes.turnsForRollout(rollout.id),
          q.app.store.outcomes.eventsForRollout(rollout.id),
          q.app.store.qualityScores.badForRollout(rollout.id),
        ]);
        const incremental = await q.app.store.rolloutEvidence.read(
          rollout.id,
          record.stepStartedAt,
        );
        assert.deepEqual(
          plain(incremental),
          plain(rolloutFacts(outcomes, turns, events, record.stepStartedAt, bad)),
        );
        const qualityBad = incremental.bad.get("quality") ?? [];
        assert.ok(
          qualityBad.every((c) => c.arm === "candidate"),
          JSON.stringify(qualityBad),
        );
        assert.ok(bad.length >= 10, `bad candidate conversations: ${bad.length}`);

        const decision = await q.app.rollouts.evaluate(rollout.id);
        assert.equal(decision?.action, "rollback", decision?.reason);
        assert.match(decision?.reason ?? "", /^quality: candidate shown worse/);
        assert.equal((await q.app.rollouts.status(rollout.id)).rollout.state, "rolled_back");

        // Per-version scores in the API, the rollup metric and both alert rules.
        const quality = (
          await q.inject({ url: "/api/v1/agents/support/quality", headers: auth })
        ).json();
        const byVersion = new Map(
          quality.data.map((v: { version: string; score: number }) => [v.version, v.score]),
        );
        assert.equal(byVersion.get(candidate), 0);
        assert.equal(byVersion.get(record.baseline), 1);
        clock.advance(2 * 60_000);
        // The first rounds catch up on the day before start, then judge the rules.
        let tick = await q.app.monitor.tick();
        for (let i = 0; i < 5 && !tick.evaluated; i++) tick = await q.app.monitor.tick();
        assert.ok(tick.evaluated);
        const metrics = (
          await q.inject({
            url:
              "/api/v1/metrics?metric=quality_score&groupBy=version&step=3600&from=" +
              new Date(START).toISOString(),
            headers: auth,
          })
        ).json();
        const series = new Map(
          metrics.series.map((s: { labels: { version: string }; values: (number | null)[] }) => [
            s.labels.version,
            s.values.filter((v) => v !== null),
          ]),
        );
        assert.deepEqual(series.get(candidate), [0]);
        assert.deepEqual(series.get(record.baseline), [1]);
        const fired = tick.transitions.filter((t) => t.state === "firing").map((t) => t.rule);
        assert.deepEqual(fired.sort(), ["quality_drift", "quality_low"]);
        assert.ok(!JSON.stringify(quality).includes(RUDE), "scores, not transcripts");
      } finally {
        await q.dispose();
      }
    });
  });
}
