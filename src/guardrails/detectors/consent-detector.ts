import { z } from "zod";
import { defineDetector } from "../detector.ts";
import type { Detection } from "../finding.ts";
import {
  HELP_KEYWORDS,
  OPT_IN_KEYWORDS,
  OPT_OUT_KEYWORDS,
  REVOCATION_PHRASES,
} from "./consent-keywords.ts";

const NOT_WORD = /[^\p{L}\p{N}]+/gu;
const keywordList = z.array(z.string().min(1)).default([]);

export const consentDetector = defineDetector({
  name: "consent",
  options: z
    .object({
      keywords: z
        .object({ opt_out: keywordList, opt_in: keywordList, help: keywordList })
        .strict()
        .default({ opt_out: [], opt_in: [], help: [] })
        .describe("Extra whole-message keywords, added to the built-in carrier lists."),
      naturalLanguage: z
        .boolean()
        .default(true)
        .describe('Also find revocation in sentences ("please stop texting me").'),
    })
    .strict(),
  create({ keywords, naturalLanguage }) {
    const byKeyword = new Map<string, string>();
    const add = (type: string, words: string[]) => {
      for (const w of words) byKeyword.set(compact(w), type);
    };
    add("consent.help", [...HELP_KEYWORDS, ...keywords.help]);
    add("consent.opt_in", [...OPT_IN_KEYWORDS, ...keywords.opt_in]);
    add("consent.opt_out", [...OPT_OUT_KEYWORDS, ...keywords.opt_out]);
    return {
      detect(text, { folded }) {
        // A keyword only counts as the whole message; "Where is the bus stop?" is not one.
        const whole = folded.text.length <= 40 ? byKeyword.get(compact(folded.text)) : undefined;
        if (whole) return [wholeMessage(text, whole)];
        if (!naturalLanguage) return [];
        const found: Detection[] = [];
        for (const regex of REVOCATION_PHRASES) {
          for (const { start, end } of folded.spans(regex)) {
            found.push({
              type: "consent.opt_out",
              start,
              end,
              score: 0.9,
              evidence: { match: "phrase" },
            });
          }
        }
        return found;
      },
    };
  },
});

function compact(s: string): string {
  return s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(NOT_WORD, "");
}

function wholeMessage(text: string, type: string): Detection {
  const start = text.length - text.trimStart().length;
  const end = text.trimEnd().length;
  return { type, start, end: Math.max(start, end), score: 1, evidence: { match: "keyword" } };
}
