import { z } from "zod";
import { MainstayError } from "../../../shared/errors.ts";
import type { FetchLike } from "../../detector.ts";
import type { ScoreText } from "./label-scores.ts";
import { postJson } from "./post-json.ts";

const labelScores = z.array(z.object({ label: z.string(), score: z.number() }));
// text-embeddings-inference `POST /predict` answers one list per input; some servers
// (and the Hugging Face Inference API) nest it once more.
const teiAnswer = z.union([labelScores, z.array(labelScores).length(1)]);

/**
 * A Hugging Face text-embeddings-inference sequence-classification endpoint:
 * `{"inputs": text}` -> `[{"label","score"}]` (https://huggingface.github.io/text-embeddings-inference/).
 */
export function teiScores(
  fetch: FetchLike,
  url: string,
  headers: Record<string, string>,
): ScoreText {
  return async (text, signal) => {
    const body = { inputs: text, truncate: true, raw_scores: false };
    const answer = teiAnswer.safeParse(await postJson(fetch, url, body, headers, signal));
    if (!answer.success) throw unexpected(url);
    const [first] = answer.data;
    return Array.isArray(first) ? first : (answer.data as z.output<typeof labelScores>);
  };
}

function unexpected(url: string): MainstayError {
  return new MainstayError(
    "MS_CLASSIFIER_FAILED",
    `classifier at ${new URL(url).host} did not answer [{"label","score"}]`,
    502,
  );
}
