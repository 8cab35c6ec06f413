import { ADVICE_GROUPS } from "./commitment-advice.ts";
import { ADVICE_MORE_GROUPS } from "./commitment-advice-more.ts";
import { ASSURANCE_GROUPS } from "./commitment-assurances.ts";
import { expandGroup, type TemplateGroup } from "./commitment-expand.ts";
import { FOREIGN_GROUPS } from "./commitment-foreign.ts";
import { HEDGED_GROUPS } from "./commitment-hedged.ts";
import { INFO_GROUPS } from "./commitment-info.ts";
import { MONEY_GROUPS } from "./commitment-money.ts";
import { NEGATIVES_MORE_GROUPS } from "./commitment-negatives-more.ts";
import { PROMISES_MORE_GROUPS } from "./commitment-promises-more.ts";
import { ROUTINE_GROUPS } from "./commitment-routine.ts";
import type { OwnExample } from "./own-example.ts";

const GROUPS: TemplateGroup[] = [
  ...MONEY_GROUPS,
  ...ASSURANCE_GROUPS,
  ...ADVICE_GROUPS,
  ...ADVICE_MORE_GROUPS,
  ...PROMISES_MORE_GROUPS,
  ...ROUTINE_GROUPS,
  ...HEDGED_GROUPS,
  ...INFO_GROUPS,
  ...FOREIGN_GROUPS,
  ...NEGATIVES_MORE_GROUPS,
];

/**
 * Our own agent replies for the "commitment" model: promises of money, guarantees, policy
 * exceptions and professional advice, against at least as many look-alikes that commit to
 * nothing. Deterministic; a text that repeats one already made (ignoring case) is dropped.
 */
export function commitmentExamples(): OwnExample[] {
  const seen = new Set<string>();
  return GROUPS.flatMap(expandGroup).filter((example) => {
    const key = example.text.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
