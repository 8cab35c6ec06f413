import { expandSet, type TemplateSet } from "./abuse-expand.ts";
import { HATE_DEHUMANISING_SETS } from "./abuse-hate-dehumanising.ts";
import { HATE_DEROGATION_SETS } from "./abuse-hate-derogation.ts";
import { HATE_VIOLENT_SETS } from "./abuse-hate-violent.ts";
import { MULTILINGUAL_SETS } from "./abuse-multilingual.ts";
import { GROUP_NEGATIVE_SETS } from "./abuse-negatives-groups.ts";
import { OTHER_NEGATIVE_SETS } from "./abuse-negatives-other.ts";
import { PROFANITY_SETS } from "./abuse-profanity.ts";
import { SELF_HARM_SETS, THREAT_SETS } from "./abuse-threats.ts";
import { THREAT_MORE_SETS } from "./abuse-threats-more.ts";
import { THREAT_NEGATIVE_SETS } from "./abuse-threats-negatives.ts";
import type { OwnExample } from "./own-example.ts";

const ABUSE_SETS: TemplateSet[] = [
  ...HATE_DEROGATION_SETS,
  ...HATE_DEHUMANISING_SETS,
  ...HATE_VIOLENT_SETS,
  ...THREAT_SETS,
  ...THREAT_MORE_SETS,
  ...SELF_HARM_SETS,
  ...PROFANITY_SETS,
  ...GROUP_NEGATIVE_SETS,
  ...OTHER_NEGATIVE_SETS,
  ...THREAT_NEGATIVE_SETS,
  ...MULTILINGUAL_SETS,
];

/**
 * Our own examples for the abuse model (labels profanity, hate, threat, self_harm),
 * generated from the written templates. A text that two templates happen to produce is
 * kept once, under the first, so that no text sits in two splits.
 */
export function abuseExamples(): OwnExample[] {
  const seen = new Set<string>();
  return ABUSE_SETS.flatMap(expandSet).filter(({ text }) => {
    const key = text.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
