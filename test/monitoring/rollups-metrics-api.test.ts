import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ManualClock } from "../../src/shared/clock.ts";
import { auth, startTestApp, type TestApp } from "../support/test-app.ts";
import { monitoringFixtures } from "./rollup-fixtures.ts";

const T0 = Date.UTC(2026, 0, 1, 12, 0);
const MINUTE = 60_000;

describe("GET /api/v1/metrics", () => {
  let app: TestApp;
  const clock = new ManualClock(T0);

  before(async () => {
    app = await startTestApp({ clock });
    const fx = monitoringFixtures(app.store);
    const v1 = await fx.conversation(T0 + 10_000, { channel: "api", version: "v1" });
    const v2 = await fx.conversation(T0 + MINUTE + 10_000, { channel: "web", version: "v2" });
    await fx.turn(v1, T0 + 20_000, { version: "v1", latencyMs: 400, error: "timeout" });
    await fx.turn(v1, T0 + 21_000, { version: "v1", latencyMs: 600 });
    await fx.turn(v2, T0 + MINUTE + 20_000, { version: "v2", latencyMs: 1500 });
    await fx.event(v1, "message.queued", T0 + 30_000, 4);
    await fx.event(v1, "message.failed", T0 + 31_000);
    clock.set(T0 + 3 * MINUTE + 15_000);
    while (!(await app.monitor.tick()).evaluated) {
      // Catching up the first day of rollups.
    }
  });
  after(() => app.dispose());

  const get = async (query: string) => {
    const response = await app.app.inject({ url: `/api/v1/metrics?${query}`, headers: auth });
    return { status: response.statusCode, body: response.json() };
  };
  const range = `from=${new Date(T0).toISOString()}&to=${T0 + 3 * MINUTE}`;

  it("answers chart-ready series: timestamps, values, units, samples", async () => {
    const { status, body } = await get(`metric=turns,error_rate,delivery_failure_rate&${range}`);
    assert.equal(status, 200);
    assert.deepEqual(
      [body.from, body.to, body.step, body.rolledUpTo],
      [
        new Date(T0).toISOString(),
        new Date(T0 + 3 * MINUTE).toISOString(),
        60,
        new Date(T0 + 3 * MINUTE).toISOString(),
      ],
    );
    assert.deepEqual(body.timestamps, [T0, T0 + MINUTE, T0 + 2 * MINUTE]);
    assert.deepEqual(body.series, [
      { metric: "turns", unit: "count", labels: {}, values: [2, 1, 0] },
      {
        metric: "error_rate",
        unit: "ratio",
        labels: {},
        values: [0.5, 0, null],
        samples: [2, 1, 0],
      },
      {
        metric: "delivery_failure_rate",
        unit: "ratio",
        labels: {},
        values: [0.25, null, null],
        samples: [4, 0, 0],
      },
    ]);
  });

  it("filters and groups by agent version and channel, in wider steps", async () => {
    const grouped = await get(`metric=turns,latency_ms_mean&groupBy=version&step=180&${range}`);
    assert.deepEqual(
      grouped.body.series.map((s: { metric: string; labels: object; values: number[] }) => [
        s.metric,
        s.labels,
        s.values,
      ]),
      [
        ["turns", { agent: "support", version: "v1" }, [2]],
        ["turns", { agent: "support", version: "v2" }, [1]],
        ["latency_ms_mean", { agent: "support", version: "v1" }, [500]],
        ["latency_ms_mean", { agent: "support", version: "v2" }, [1500]],
      ],
    );
    const web = await get(`metric=conversations&channel=web&${range}`);
    assert.deepEqual(web.body.series[0].values, [0, 1, 0]);
    // Every metric, the last hour by default.
    const all = await get("");
    assert.equal(all.body.timestamps.length, 60);
    assert.ok(all.body.series.length >= 26);
  });

  it("refuses bad input with stable codes", async () => {
    const cases: [string, string][] = [
      ["step=90", "MS_BAD_REQUEST"],
      ["step=60&from=yesterday", "MS_BAD_REQUEST"],
      ["groupBy=contact", "MS_BAD_REQUEST"],
      ["metric=turns,bogus", "MS_METRIC_UNKNOWN"],
      [`from=${T0}&to=${T0}`, "MS_METRICS_RANGE"],
      [`from=${T0 - 2 * 86_400_000}&to=${T0}&step=60`, "MS_METRICS_RANGE"],
    ];
    for (const [query, code] of cases) {
      const { status, body } = await get(query);
      assert.deepEqual([status, body.error.code], [400, code], query);
    }
  });
});
