import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sentimentTrend } from "../../../src/agents/handoff/sentiment.ts";
import { negativeStreak, sentimentScore } from "../../../src/agents/index.ts";

const inbound = (id: string, text: string) => ({ id, direction: "inbound", text });

describe("lexicon sentiment", () => {
  it("scores words, negation and shouting", () => {
    assert.ok(sentimentScore("thanks, that was great") > 0);
    assert.ok(sentimentScore("this is useless and terrible") < 0);
    assert.ok(sentimentScore("not good") < 0);
    assert.ok(sentimentScore("WHERE IS MY ORDER") < 0);
    assert.equal(sentimentScore("where is my order"), 0);
  });

  it("follows the conversation's direction, recent messages weighing most", () => {
    const souring = [
      inbound("m1", "thanks, great service"),
      { id: "m2", direction: "outbound", text: "terrible awful" },
      inbound("m3", "this is useless"),
      inbound("m4", "terrible, I am angry"),
    ];
    const trend = sentimentTrend(souring, { id: "m4" });
    assert.ok(trend < 0, String(trend));
    assert.ok(trend > sentimentScore("terrible, I am angry"), "the earlier praise still counts");
    // Only messages up to the one being answered count.
    assert.equal(sentimentTrend(souring, { id: "m1" }), sentimentScore("thanks, great service"));
    assert.equal(sentimentTrend([], { id: "m1" }), 0);
  });

  it("sees a streak of negative messages", () => {
    assert.equal(negativeStreak(["awful", "useless", "terrible"], 3), true);
    assert.equal(negativeStreak(["awful", "thanks", "terrible"], 3), false);
  });
});
