import { abuseExamples } from "./abuse-examples.ts";
import { commitmentExamples } from "./commitment-examples.ts";
import { injectionExamples } from "./injection-examples.ts";
import { lookalikeWordExamples } from "./lookalike-words.ts";
import type { OwnExample } from "./own-example.ts";
import { supportCodeExamples } from "./support-codes.ts";

export type { OwnExample } from "./own-example.ts";

/**
 * Our own written examples per model, generated from the templates in this folder; the
 * support messages with codes are negatives for every model, and messages whose words
 * share letters with swear words are negatives for the abuse model.
 */
export const OWN_EXAMPLES: Record<string, () => OwnExample[]> = {
  injection: () => [...injectionExamples(), ...supportCodeExamples("injection")],
  abuse: () => [...abuseExamples(), ...supportCodeExamples("abuse"), ...lookalikeWordExamples()],
  commitment: () => [...commitmentExamples(), ...supportCodeExamples("commitment")],
};
