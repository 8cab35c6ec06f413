import { z } from "zod";
import { defineDetector } from "../detector.ts";
import type { Detection } from "../finding.ts";
import type { FoldedText } from "../fold-text.ts";
import { phraseRegex } from "./phrase-regex.ts";

const topic = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_]*$/, "lowercase letters, digits and _"),
    keywords: z
      .array(z.string().min(2))
      .min(1)
      .describe("Words or phrases, matched whole after folding."),
  })
  .strict();

// Greetings, thanks and one-word answers are never off-topic.
const MIN_WORDS_FOR_OFF_TOPIC = 4;

export const topicDetector = defineDetector({
  name: "topic",
  options: z
    .object({
      deny: z.array(topic).default([]).describe("Each match is a `topic.<name>` finding."),
      allow: z
        .array(topic)
        .default([])
        .describe("When set, a message of 4+ words matching none of them is `topic.off_topic`."),
    })
    .strict(),
  create({ deny, allow }) {
    const denied = deny.map((t) => ({ type: `topic.${t.name}`, regex: phraseRegex(t.keywords) }));
    const allowed = allow.length > 0 ? phraseRegex(allow.flatMap((t) => t.keywords)) : undefined;
    return {
      detect(text, { folded }) {
        const found: Detection[] = [];
        for (const { type, regex } of denied) {
          for (const { start, end } of folded.spans(regex)) {
            found.push({ type, start, end, score: 0.8 });
          }
        }
        if (allowed && isOffTopic(folded, allowed)) {
          found.push({ type: "topic.off_topic", start: 0, end: text.length, score: 0.6 });
        }
        return found;
      },
    };
  },
});

function isOffTopic(folded: FoldedText, allowed: RegExp): boolean {
  if (folded.text.split(" ").filter(Boolean).length < MIN_WORDS_FOR_OFF_TOPIC) return false;
  allowed.lastIndex = 0;
  return !(folded.mayMatch(allowed) && allowed.test(folded.text));
}
