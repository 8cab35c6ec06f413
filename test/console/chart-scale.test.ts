import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  INTEGER_INCREMENTS,
  niceCeil,
  quantityOfMetric,
  quantityOfUnit,
  reading,
  scaleOf,
} from "../../console/src/chart-scale.ts";

test("rates read in percent everywhere, from an API ratio", () => {
  assert.equal(reading("ratio", 0.25), "25 %");
  assert.equal(reading("ratio", 0.034), "3.4 %");
  assert.equal(scaleOf("ratio").label, "%");
  assert.deepEqual(scaleOf("ratio").range(0, 3.4), [0, 10]);
  assert.deepEqual(scaleOf("ratio").range(0, 42), [0, 50]);
  assert.deepEqual(scaleOf("ratio").range(0, 100), [0, 100]);
});

test("counts have whole-number ticks and start at zero", () => {
  assert.ok(INTEGER_INCREMENTS.every(Number.isInteger));
  assert.equal(INTEGER_INCREMENTS[0], 1);
  assert.equal(scaleOf("conversations").integer, true);
  assert.equal(scaleOf("count").integer, true);
  assert.deepEqual(scaleOf("count").range(0, 0), [0, 1]);
  assert.deepEqual(scaleOf("conversations").range(0, 7), [0, 10]);
  assert.equal(reading("conversations", 3), "3 conversations");
});

test("a missing value reads as no data, never as a dash", () => {
  for (const value of [null, undefined, Number.NaN]) {
    assert.equal(reading("ratio", value), "no data");
    assert.equal(reading("ms", value), "no data");
  }
  assert.equal(reading("ms", 812.4), "812 ms");
  assert.equal(reading("usd", 0.0123), "$0.0123");
});

test("units come from the API, or from the metric's name for alert values", () => {
  assert.equal(quantityOfUnit("ratio"), "ratio");
  assert.equal(quantityOfUnit("furlongs"), "count");
  assert.equal(quantityOfMetric("error_rate"), "ratio");
  assert.equal(quantityOfMetric("latency_ms_p95"), "ms");
  assert.equal(quantityOfMetric("cost_per_conversation"), "usd");
  assert.equal(quantityOfMetric("messages_in"), "count");
  assert.equal(quantityOfMetric("queue_age_seconds"), "seconds");
  assert.equal(reading("seconds", 300), "300 s");
});

test("niceCeil is the least 1-2-5 step at or above its input", () => {
  fc.assert(
    fc.property(fc.double({ min: 1e-6, max: 1e9, noNaN: true }), (x) => {
      const nice = niceCeil(x);
      assert.ok(nice >= x * (1 - 1e-9));
      assert.ok(nice <= 2.5 * x * (1 + 1e-9));
      const mantissa = nice / 10 ** Math.floor(Math.log10(nice) + 1e-12);
      assert.ok(
        [1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6),
        `${nice}`,
      );
    }),
  );
});
