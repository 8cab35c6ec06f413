import type { Screening } from "../conversations/index.ts";

/**
 * The error body OpenAI's API answers with, which the official SDKs turn into `APIError`
 * subclasses carrying `type`, `code` and `param`:
 * https://platform.openai.com/docs/guides/error-codes
 */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function openAIError(message: string, type: string, code: string | null): OpenAIErrorBody {
  return { error: { message, type, param: null, code } };
}

/** A policy refused the text: the policy's safe reply as message, the rule id as code. */
export function policyViolation(screening: Screening): OpenAIErrorBody {
  return openAIError(
    screening.reply ?? "blocked by policy",
    "mainstay_policy_violation",
    screening.rule ?? "policy",
  );
}

/** Actions after which none of the screened text may be passed on. */
export const refuses = (screening: Screening): boolean =>
  screening.action === "block" || screening.action === "fallback";
