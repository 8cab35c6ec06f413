import assert from "node:assert/strict";
import { test } from "node:test";
import { fixedHorizonN } from "../../../src/rollouts/statistics/index.ts";
import { seededRandom } from "../../../src/shared/index.ts";
import {
  type CanaryScenario,
  percentile,
  rollbackRate,
  simulateCanaries,
  steadyCanary,
} from "./simulate-canary.ts";

// Issue #10's proof: under no difference the harm test rolls back in at most alpha of the
// runs although it is checked after every conversation, and a 2% -> 4% regression is
// caught. Runs under no difference stop at 5,000 conversations (about 100 bad ones) to keep
// the suite fast; `npm run bench -- rollout_detection` runs them to 20,000.
const ALPHA = 0.05;
const RUNS = 2000;
const NULL_CAP = 5000;
const canary = (ratio: number, share: number, cap: number) =>
  steadyCanary({ baselineRate: 0.02, ratio, share, cap, alpha: ALPHA });

test("no difference at a 50% split: false rollbacks <= alpha", () => {
  const results = simulateCanaries(seededRandom(101), canary(1, 0.5, NULL_CAP), RUNS);
  assert.ok(rollbackRate(results) <= ALPHA, `false rollback rate ${rollbackRate(results)}`);
  // Not idle either: an always-valid test spends most of its alpha (4.0% here).
  assert.ok(rollbackRate(results) >= 0.02, `false rollback rate ${rollbackRate(results)}`);
});

test("no difference at a 10% canary: false rollbacks <= alpha", () => {
  const results = simulateCanaries(seededRandom(102), canary(1, 0.1, NULL_CAP), RUNS);
  assert.ok(rollbackRate(results) <= ALPHA, `false rollback rate ${rollbackRate(results)}`);
});

test("no difference while the share steps up and the base rate drifts: still <= alpha", () => {
  // Steps 5% -> 25% -> 50%, and a base rate swinging between 1% and 5% (a busy season,
  // an outage): the test only compares arms within each bad conversation's own share.
  const scenario: CanaryScenario = {
    baselineRate: (n) => 0.03 + 0.02 * Math.sin(n / 400),
    ratio: 1,
    share: (n) => (n <= 1000 ? 0.05 : n <= 2500 ? 0.25 : 0.5),
    peakRate: 0.05,
    cap: NULL_CAP,
    alpha: ALPHA,
  };
  const results = simulateCanaries(seededRandom(103), scenario, RUNS);
  assert.ok(rollbackRate(results) <= ALPHA, `false rollback rate ${rollbackRate(results)}`);
});

test("a 2% -> 4% regression at a 50% split is caught, typically before a z-test could look", () => {
  const results = simulateCanaries(seededRandom(104), canary(2, 0.5, 20_000), 500);
  assert.ok(rollbackRate(results) >= 0.95, `power ${rollbackRate(results)}`);
  const median = percentile(results, 0.5);
  assert.ok(median <= fixedHorizonN(0.02, 0.04, 0.5, ALPHA, 0.8), `median ${median}`);
});

test("a 2% -> 4% regression at a 5% canary is caught too", () => {
  const results = simulateCanaries(seededRandom(105), canary(2, 0.05, 20_000), 200);
  assert.ok(rollbackRate(results) >= 0.8, `power ${rollbackRate(results)}`);
});
