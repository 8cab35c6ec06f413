import { resolve } from "node:path";
import { z } from "zod";
import { MainstayError } from "../../../shared/errors.ts";
import { defineDetector, type GuardRuntime, type ModelDetector } from "../../detector.ts";
import type { ScoreText } from "./label-scores.ts";
import { loadOnnxScores } from "./onnx-scores.ts";
import { openaiModerationScores } from "./openai-moderation-scores.ts";
import { teiScores } from "./tei-scores.ts";
import { withinBudget } from "./within-budget.ts";

const apiKeySecret = z
  .string()
  .min(1)
  .optional()
  .describe("Name of a config secret sent as `Authorization: Bearer <value>`.");

const modelSchema = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("onnx"),
      path: z
        .string()
        .min(1)
        .describe("Folder with model.onnx, tokenizer.json and config.json (id2label)."),
      maxTokens: z.number().int().min(8).max(8192).default(512),
    })
    .strict(),
  z.object({ type: z.literal("tei"), url: z.url(), apiKeySecret }).strict(),
  z
    .object({
      type: z.literal("openai_moderation"),
      url: z.url().default("https://api.openai.com/v1/moderations"),
      model: z.string().min(1).default("omni-moderation-latest"),
      apiKeySecret,
    })
    .strict(),
]);
type ModelOptions = z.output<typeof modelSchema>;

/**
 * The model tier: a bigger model a team runs itself, local (ONNX) or over HTTP, asked by
 * `Guard.screen` within `budgetMs`. A label scored at or over its threshold is a finding
 * `classifier.<label>`; a model that does not answer in time, or fails, gets `onTimeout`.
 */
export const classifierDetector = defineDetector({
  name: "classifier",
  options: z
    .object({
      model: modelSchema,
      labels: z
        .record(z.string().min(1), z.number().min(0).max(1))
        .refine((labels) => Object.keys(labels).length > 0, "name at least one label")
        .describe("Label -> the score at or above which it is a finding."),
      budgetMs: z
        .number()
        .int()
        .min(1)
        .max(30_000)
        .default(250)
        .describe("How long a message waits for the model."),
      onTimeout: z
        .enum(["allow", "tag", "escalate", "block"])
        .default("tag")
        .describe("The action when the model does not answer within budgetMs or fails."),
      cacheSize: z
        .number()
        .int()
        .min(0)
        .max(100_000)
        .default(1000)
        .describe("Answers kept by text hash; 0 turns the cache off."),
    })
    .strict(),
  create(options, runtime): ModelDetector {
    return withinBudget(scorerFor(options.model, runtime), options);
  },
});

function scorerFor(model: ModelOptions, runtime: GuardRuntime): ScoreText {
  if (model.type === "onnx") {
    const loaded = loadOnnxScores(resolve(runtime.baseDir ?? ".", model.path), model.maxTokens);
    // Loading starts now so the first message does not pay for it; a failure is reported
    // by every call (outcome `error`), not as an unhandled rejection.
    loaded.catch(() => {});
    return async (text, signal) => (await loaded)(text, signal);
  }
  const fetch = runtime.fetch ?? globalThis.fetch;
  const headers = authorization(model.apiKeySecret, runtime);
  if (model.type === "tei") return teiScores(fetch, model.url, headers);
  return openaiModerationScores(fetch, model.url, model.model, headers);
}

function authorization(secret: string | undefined, runtime: GuardRuntime): Record<string, string> {
  if (secret === undefined) return {};
  const value = runtime.secrets?.[secret];
  if (!value) {
    throw new MainstayError(
      "MS_POLICY_INVALID",
      `classifier: apiKeySecret "${secret}" is not a declared secret with a value`,
    );
  }
  return { authorization: `Bearer ${value}` };
}
