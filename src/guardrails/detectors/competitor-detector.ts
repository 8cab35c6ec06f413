import { z } from "zod";
import { defineDetector } from "../detector.ts";
import type { Detection } from "../finding.ts";
import { phraseRegex } from "./phrase-regex.ts";

const competitor = z
  .object({ name: z.string().min(1), aliases: z.array(z.string().min(1)).default([]) })
  .strict();

export const competitorDetector = defineDetector({
  name: "competitor",
  options: z
    .object({
      competitors: z
        .array(competitor)
        .default([])
        .describe("Names and aliases, matched as whole words after folding (case, accents)."),
    })
    .strict(),
  create({ competitors }) {
    const matchers = competitors.map((c) => ({
      name: c.name,
      regex: phraseRegex([c.name, ...c.aliases]),
    }));
    return {
      detect(_text, { folded }) {
        const found: Detection[] = [];
        for (const { name, regex } of matchers) {
          for (const { start, end } of folded.spans(regex)) {
            found.push({
              type: "competitor",
              start,
              end,
              score: 0.9,
              evidence: { competitor: name },
            });
          }
        }
        return found;
      },
    };
  },
});
