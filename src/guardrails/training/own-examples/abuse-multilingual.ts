import type { TemplateSet } from "./abuse-expand.ts";
import { GERMAN_SETS } from "./abuse-multilingual-de.ts";
import { SPANISH_SETS } from "./abuse-multilingual-es.ts";
import { FRENCH_SETS } from "./abuse-multilingual-fr.ts";
import { ITALIAN_SETS } from "./abuse-multilingual-it.ts";
import { PORTUGUESE_SETS } from "./abuse-multilingual-pt.ts";

/**
 * Hate, threats, swearing, self-harm and hard negatives in five more languages, each
 * written natively rather than translated, so the model learns the words each language
 * uses and not an English sentence shape with foreign words in it.
 */
export const MULTILINGUAL_SETS: TemplateSet[] = [
  ...GERMAN_SETS,
  ...SPANISH_SETS,
  ...FRENCH_SETS,
  ...PORTUGUESE_SETS,
  ...ITALIAN_SETS,
];
