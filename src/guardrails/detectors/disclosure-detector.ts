import { z } from "zod";
import { defineDetector } from "../detector.ts";
import { phraseRegex } from "./phrase-regex.ts";

/**
 * Laws such as California's BOT Act (Bus. & Prof. Code 17941), Utah's AI Policy Act and
 * the EU AI Act (art. 50) require telling people they are talking to a machine.
 */
const DISCLOSURES = [
  "automated",
  "virtual assistant",
  "ai assistant",
  "ai agent",
  "digital assistant",
  "bot",
  "chatbot",
  "artificial intelligence",
  "asistente virtual",
  "automatizado",
  "assistant virtuel",
  "automatise",
  "virtueller assistent",
  "ki-assistent",
  "automatisiert",
];

export const disclosureDetector = defineDetector({
  name: "ai_disclosure",
  options: z
    .object({
      phrases: z
        .array(z.string().min(2))
        .default(DISCLOSURES)
        .describe("Any of these in the first outbound message counts as disclosure."),
    })
    .strict(),
  create({ phrases }) {
    const disclosure = phraseRegex(phrases);
    return {
      detect(_text, { direction, firstOutbound, folded }) {
        if (direction !== "outbound" || !firstOutbound) return [];
        disclosure.lastIndex = 0;
        if (folded.mayMatch(disclosure) && disclosure.test(folded.text)) return [];
        return [{ type: "disclosure.missing", start: 0, end: 0, score: 1 }];
      },
    };
  },
});
