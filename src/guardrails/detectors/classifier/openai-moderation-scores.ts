import { z } from "zod";
import { MainstayError } from "../../../shared/errors.ts";
import type { FetchLike } from "../../detector.ts";
import type { ScoreText } from "./label-scores.ts";
import { postJson } from "./post-json.ts";

const moderationAnswer = z.object({
  results: z
    .array(z.object({ category_scores: z.record(z.string(), z.number().nullable()) }))
    .min(1),
});

/**
 * The OpenAI moderation API (`POST /v1/moderations`, https://platform.openai.com/docs/api-reference/moderations):
 * each of `results[0].category_scores` ("harassment", "hate/threatening", "self-harm/intent"...)
 * is a label.
 */
export function openaiModerationScores(
  fetch: FetchLike,
  url: string,
  model: string,
  headers: Record<string, string>,
): ScoreText {
  return async (text, signal) => {
    const body = { model, input: text };
    const answer = moderationAnswer.safeParse(await postJson(fetch, url, body, headers, signal));
    if (!answer.success) {
      throw new MainstayError(
        "MS_CLASSIFIER_FAILED",
        `moderation endpoint at ${new URL(url).host} did not answer results[0].category_scores`,
        502,
      );
    }
    return Object.entries(answer.data.results[0]!.category_scores).map(([label, score]) => ({
      label,
      score: score ?? 0,
    }));
  };
}
