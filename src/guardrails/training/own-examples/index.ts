import { abuseExamples } from "./abuse-examples.ts";
import { commitmentExamples } from "./commitment-examples.ts";
import { injectionExamples } from "./injection-examples.ts";
import { lookalikeWordExamples } from "./lookalike-words.ts";
import type { OwnExample } from "./own-example.ts";
import { shortSupportExamples } from "./short-support.ts";
import { supportCodeExamples } from "./support-codes.ts";

export type { OwnExample } from "./own-example.ts";

/**
 * Our own written examples per model, generated from the templates in this folder. Support
 * messages with codes and short everyday lines are negatives for every model; messages
 * whose words share letters with swear words are negatives for the abuse model.
 */
export const OWN_EXAMPLES: Record<string, () => OwnExample[]> = {
  injection: () => [...injectionExamples(), ...everyModel("injection")],
  abuse: () => [...abuseExamples(), ...everyModel("abuse"), ...lookalikeWordExamples()],
  commitment: () => [...commitmentExamples(), ...everyModel("commitment")],
};

function everyModel(model: string): OwnExample[] {
  return [...supportCodeExamples(model), ...shortSupportExamples(model)];
}
