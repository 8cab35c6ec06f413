import type { z } from "zod";

/** Fields of older versions that named environment variables, and what to write instead. */
const REPLACED_FIELDS = new Map([
  [
    "apiKeyEnv",
    `documents no longer read environment variables: declare secrets.<name>: \${OPENAI_API_KEY} in mainstay.yaml and write apiKeySecret: <name>`,
  ],
  [
    "authHeaderEnv",
    `documents no longer read environment variables: declare secrets.<name>: \${ORDERS_TOKEN} in mainstay.yaml and write authSecret: <name>`,
  ],
]);

/**
 * Params of a document's `z.strictObject`: unknown keys are refused, and a replaced
 * field's refusal says what replaces it.
 */
export const strictWithReplacedFields = {
  error: (issue: z.core.$ZodRawIssue) => {
    if (issue.code !== "unrecognized_keys") return undefined;
    if (!issue.keys.some((key) => REPLACED_FIELDS.has(key))) return undefined;
    return issue.keys
      .map((key) => REPLACED_FIELDS.get(key) ?? `Unrecognized key: "${key}"`)
      .join("; ");
  },
};
