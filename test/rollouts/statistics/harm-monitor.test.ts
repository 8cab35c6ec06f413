import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  type BadConversation,
  HARM_RATE_RATIOS,
  HarmMonitor,
  harmEvidence,
} from "../../../src/rollouts/statistics/index.ts";
import { isMainstayError } from "../../../src/shared/index.ts";

const close = (actual: number, expected: number, tolerance = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not ${expected}`);

const candidate = (share: number): BadConversation => ({ inCandidate: true, share });
const baseline = (share: number): BadConversation => ({ inCandidate: false, share });

test("the prior is 24 rate ratios from 1.3 to 8, equally spaced in log", () => {
  assert.equal(HARM_RATE_RATIOS.length, 24);
  close(HARM_RATE_RATIOS[0]!, 1.3);
  close(HARM_RATE_RATIOS[23]!, 8);
  close(HARM_RATE_RATIOS[1]! / HARM_RATE_RATIOS[0]!, HARM_RATE_RATIOS[23]! / HARM_RATE_RATIOS[22]!);
});

// Expected values computed by hand (Python, from the formula in harm-monitor.ts):
// logE = log( mean over r of  Π r^[in candidate] / (1 + s(r - 1)) ).
test("hand-checked e-values at a 50% split", () => {
  const empty = new HarmMonitor({ alpha: 0.05 }).evidence;
  assert.deepEqual(empty, {
    badBaseline: 0,
    badCandidate: 0,
    logE: 0,
    threshold: Math.log(20),
    harmful: false,
  });
  close(harmEvidence([candidate(0.5)], 0.05).logE, 0.4051965602419665);
  close(harmEvidence([baseline(0.5)], 0.05).logE, -0.6923419693981401);
  const six = harmEvidence(Array(6).fill(candidate(0.5)), 0.05);
  const seven = harmEvidence(Array(7).fill(candidate(0.5)), 0.05);
  close(six.logE, 2.6570313209373717);
  close(seven.logE, 3.141659689376251);
  // Seven bad conversations in a row, all in the candidate arm, are enough at alpha 0.05.
  assert.equal(six.harmful, false);
  assert.equal(seven.harmful, true);
  assert.equal(seven.badCandidate, 7);
});

test("a small canary needs fewer candidate-side bad conversations", () => {
  // At a 5% share, each one is 20 times less likely under no difference.
  close(harmEvidence(Array(2).fill(candidate(0.05)), 0.05).logE, 2.4807994836370937);
  assert.equal(harmEvidence(Array(2).fill(candidate(0.05)), 0.05).harmful, false);
  assert.equal(harmEvidence(Array(3).fill(candidate(0.05)), 0.05).harmful, true);
});

test("shares that change between steps enter each bad conversation's own factor", () => {
  const events = [candidate(0.05), baseline(0.05), candidate(0.25), candidate(0.5), baseline(0.5)];
  const evidence = harmEvidence(events, 0.05);
  close(evidence.logE, 1.3015957561967648);
  assert.equal(evidence.badBaseline, 2);
  assert.equal(evidence.badCandidate, 3);
});

test("counts per share give the same evidence as the events one by one", () => {
  const byCounts = new HarmMonitor({ alpha: 0.01 });
  byCounts.observeCounts({ share: 0.1, badBaseline: 7, badCandidate: 2 });
  const evidence = byCounts.observeCounts({ share: 0.5, badBaseline: 3, badCandidate: 5 });
  const events = [
    ...Array(7).fill(baseline(0.1)),
    ...Array(2).fill(candidate(0.1)),
    ...Array(3).fill(baseline(0.5)),
    ...Array(5).fill(candidate(0.5)),
  ];
  const oneByOne = harmEvidence(events, 0.01);
  close(evidence.logE, oneByOne.logE);
  assert.equal(evidence.threshold, Math.log(100));
  assert.equal(evidence.badBaseline, 10);
  assert.equal(evidence.badCandidate, 7);
});

test("harm once shown stays shown: the test stops at the first crossing", () => {
  const monitor = new HarmMonitor({ alpha: 0.05 });
  for (let i = 0; i < 7; i++) monitor.observe(candidate(0.5));
  assert.equal(monitor.evidence.harmful, true);
  for (let i = 0; i < 20; i++) monitor.observe(baseline(0.5));
  assert.ok(monitor.evidence.logE < monitor.evidence.threshold);
  assert.equal(monitor.evidence.harmful, true);
});

test("a full step (share 1) carries no evidence; impossible arms and bad inputs are refused", () => {
  close(harmEvidence([candidate(1), candidate(1)], 0.05).logE, 0);
  close(harmEvidence([baseline(0)], 0.05).logE, 0);
  const refused = (run: () => unknown) =>
    assert.throws(run, (e) => isMainstayError(e) && e.code === "MS_STATISTICS_INVALID");
  refused(() => harmEvidence([candidate(0)], 0.05));
  refused(() => harmEvidence([baseline(1)], 0.05));
  refused(() => harmEvidence([candidate(1.5)], 0.05));
  refused(() => harmEvidence([candidate(Number.NaN)], 0.05));
  refused(() => new HarmMonitor({ alpha: 0 }));
  refused(() => new HarmMonitor({ alpha: 1 }));
  refused(() =>
    new HarmMonitor({ alpha: 0.05 }).observeCounts({
      share: 0.5,
      badBaseline: -1,
      badCandidate: 2,
    }),
  );
});

const shareArb = fc.double({ min: 0.001, max: 0.999, noNaN: true });
const eventArb = fc.record({ inCandidate: fc.boolean(), share: shareArb });
const eventsArb = fc.array(eventArb, { maxLength: 300 });
const alphaArb = fc.double({ min: 0.001, max: 0.5, noNaN: true });

test("property: the e-value is a finite positive number and the evidence is plain JSON", () => {
  fc.assert(
    fc.property(eventsArb, alphaArb, (events, alpha) => {
      const evidence = harmEvidence(events, alpha);
      assert.ok(Number.isFinite(evidence.logE), `logE ${evidence.logE}`);
      assert.ok(Math.exp(evidence.logE) >= 0);
      assert.equal(evidence.badBaseline + evidence.badCandidate, events.length);
      assert.deepEqual(JSON.parse(JSON.stringify(evidence)), evidence);
    }),
  );
});

test("property: more candidate-side bad conversations never lower the evidence", () => {
  fc.assert(
    fc.property(eventsArb, fc.nat(), shareArb, (events, at, share) => {
      const before = harmEvidence(events, 0.05).logE;
      // One more bad conversation in the candidate arm raises it (every prior ratio is > 1)...
      assert.ok(harmEvidence([...events, candidate(share)], 0.05).logE > before);
      // ...and so does moving one bad conversation from the baseline arm to the candidate's.
      const i = events.length === 0 ? -1 : at % events.length;
      if (i >= 0 && !events[i]!.inCandidate) {
        const moved = events.map((e, j) => (j === i ? { ...e, inCandidate: true } : e));
        assert.ok(harmEvidence(moved, 0.05).logE > before);
      }
    }),
  );
});

test("property: the order of bad conversations does not matter", () => {
  fc.assert(
    fc.property(eventsArb, (events) => {
      const reversed = harmEvidence([...events].reverse(), 0.05).logE;
      close(reversed, harmEvidence(events, 0.05).logE, 1e-7);
    }),
  );
});
