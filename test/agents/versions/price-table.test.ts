import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { costOf, priceTableSchema } from "../../../src/agents/versions/index.ts";

describe("price table", () => {
  const table = priceTableSchema.parse({
    "openai/gpt-4.1-mini": { inputPerMTok: 0.4, outputPerMTok: 1.6 },
    "openrouter/meta-llama/llama-3.3-70b": { inputPerMTok: 0.1, outputPerMTok: 0.3 },
  });

  it("prices input and output tokens per million", () => {
    const usage = { inputTokens: 1200, outputTokens: 300 };
    assert.equal(costOf(usage, "openai", "gpt-4.1-mini", table), (1200 * 0.4 + 300 * 1.6) / 1e6);
    assert.equal(
      costOf(
        { inputTokens: 1e6, outputTokens: 1e6 },
        "openrouter",
        "meta-llama/llama-3.3-70b",
        table,
      ),
      0.4,
    );
  });

  it("returns null for a model it has no exact price for, never a guess", () => {
    const usage = { inputTokens: 10, outputTokens: 10 };
    assert.equal(costOf(usage, "openai", "gpt-4.1-mini-2025-04-14", table), null);
    assert.equal(costOf(usage, "anthropic", "gpt-4.1-mini", table), null);
    assert.equal(costOf(usage, "openai", "gpt-4.1-mini", {}), null);
  });

  it("rejects keys without a provider and negative or missing prices", () => {
    assert.equal(
      priceTableSchema.safeParse({ "gpt-4.1": { inputPerMTok: 1, outputPerMTok: 1 } }).success,
      false,
    );
    assert.equal(
      priceTableSchema.safeParse({ "a/b": { inputPerMTok: -1, outputPerMTok: 1 } }).success,
      false,
    );
    assert.equal(priceTableSchema.safeParse({ "a/b": { inputPerMTok: 1 } }).success, false);
  });
});
