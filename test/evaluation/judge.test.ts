import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { modelProviderTypes } from "../../src/agents/providers/index.ts";
import { createJudge } from "../../src/evaluation/judge.ts";

describe("createJudge", () => {
  it("builds a judge on every provider type that calls a model, from the registry", () => {
    for (const type of modelProviderTypes) {
      const judge = createJudge({ type, model: "judge-1", apiKeySecret: "key" }, { key: "k" });
      assert.equal(judge.name, `${type}/judge-1`);
    }
  });

  it("refuses a provider that calls no model, naming those that do", () => {
    assert.throws(() => createJudge({ type: "builtin" }, {}), {
      code: "MS_EVAL_INVALID",
      message: `judge: needs an ${modelProviderTypes.join(" or ")} provider with a model`,
    });
  });

  it("refuses an API key secret the config does not declare", () => {
    assert.throws(() => createJudge({ type: "anthropic", model: "m", apiKeySecret: "nope" }, {}), {
      code: "MS_EVAL_INVALID",
      message: /judge \(provider anthropic\): secret "nope"/,
    });
  });
});
