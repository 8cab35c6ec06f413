import { z } from "zod";
import { defineDetector } from "../detector.ts";
import type { Detection } from "../finding.ts";
import { COMMITMENT_CATEGORIES, COMMITMENT_PATTERNS } from "./commitment-patterns.ts";
import { phraseRegex } from "./phrase-regex.ts";

export const commitmentDetector = defineDetector({
  name: "commitment",
  options: z
    .object({
      categories: z
        .array(z.enum(COMMITMENT_CATEGORIES))
        .min(1)
        .default([...COMMITMENT_CATEGORIES]),
      phrases: z
        .partialRecord(z.enum(COMMITMENT_CATEGORIES), z.array(z.string().min(2)))
        .default({})
        .describe("Extra phrases per category, matched as whole words after folding."),
    })
    .strict(),
  create({ categories, phrases }) {
    const matchers = categories.map((category) => ({
      category,
      regexes: [COMMITMENT_PATTERNS[category], ...optionalRegex(phrases[category])],
    }));
    return {
      detect(_text, { folded }) {
        const found: Detection[] = [];
        for (const { category, regexes } of matchers) {
          for (const regex of regexes) {
            for (const { start, end } of folded.spans(regex)) {
              found.push({ type: "commitment", start, end, score: 0.8, evidence: { category } });
            }
          }
        }
        return found;
      },
    };
  },
});

function optionalRegex(list: string[] | undefined): RegExp[] {
  return list && list.length > 0 ? [phraseRegex(list)] : [];
}
