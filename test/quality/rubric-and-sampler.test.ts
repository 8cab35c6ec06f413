import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { DEFAULT_RUBRIC, parseRubricScores, sampleReason } from "../../src/quality/index.ts";
import { seededRandom } from "../../src/shared/random.ts";

describe("rubric scores", () => {
  it("maps 1-5 to 0..1 and weighs the overall score", () => {
    const rubric = [
      { name: "resolution", description: "solved", weight: 3 },
      { name: "tone", description: "polite", weight: 1 },
    ];
    const parsed = parseRubricScores(
      'Here you go: ```json\n{"scores": {"resolution": 5, "tone": 1}, "reason": "solved, curtly"}\n```',
      rubric,
    );
    assert.deepEqual(parsed, {
      criteria: { resolution: 1, tone: 0 },
      overall: 0.75,
      explanation: "solved, curtly",
    });
  });

  it("refuses an answer without a 1-5 score for every criterion", () => {
    for (const text of [
      "no json",
      '{"scores": {"resolution": 5}}',
      '{"scores": {"resolution": 6, "policy_adherence": 3, "tone": 3, "factual_grounding": 3}}',
    ]) {
      assert.throws(
        () => parseRubricScores(text, DEFAULT_RUBRIC),
        (e: Error & { code?: string }) => e.code === "MS_QUALITY_JUDGE",
      );
    }
  });

  it("keeps the overall score within the criteria's range", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 4, maxLength: 4 }), (s) => {
        const scores = Object.fromEntries(DEFAULT_RUBRIC.map((c, i) => [c.name, s[i]]));
        const { overall, criteria } = parseRubricScores(JSON.stringify({ scores }), DEFAULT_RUBRIC);
        const values = Object.values(criteria);
        assert.ok(overall >= Math.min(...values) - 1e-12 && overall <= Math.max(...values) + 1e-12);
      }),
    );
  });
});

describe("sample reasons", () => {
  const plain = { handoffReason: null, violations: 0 };

  it("takes every escalation and guardrail hit, whatever the share", () => {
    const random = seededRandom(1);
    assert.equal(
      sampleReason({ ...plain, handoffReason: "customer_asked" }, false, 0, random),
      "escalation",
    );
    assert.equal(sampleReason(plain, true, 0, random), "escalation");
    assert.equal(sampleReason({ ...plain, violations: 2 }, false, 0, random), "guardrail");
    assert.equal(sampleReason(plain, false, 0, random), null);
    assert.equal(sampleReason(plain, false, 1, random), "random");
  });

  it("samples about the share of the rest, the same with the same seed", () => {
    const draw = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 10_000 }, () => sampleReason(plain, false, 0.1, random));
    };
    const picked = draw(3).filter((r) => r === "random").length;
    assert.ok(Math.abs(picked - 1000) < 100, String(picked));
    assert.deepEqual(draw(3), draw(3));
  });
});
