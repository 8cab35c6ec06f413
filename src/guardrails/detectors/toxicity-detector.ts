import { z } from "zod";
import { defineDetector } from "../detector.ts";
import { findProfanity } from "./find-profanity.ts";

const CATEGORIES = ["profanity", "threat", "harassment"] as const;
type Category = (typeof CATEGORIES)[number];

/** Threats and harassment in EN/ES/FR/DE, on the folded view (lower case, no accents). */
const PHRASES: { category: Exclude<Category, "profanity">; score: number; regex: RegExp }[] = [
  {
    category: "threat",
    score: 0.95,
    regex:
      /\bi(?: am|m|'m)? (?:going to|gonna|will|'ll|ll|want to|wanna) (?:kill|murder|hurt|shoot|stab|strangle|beat you up|break your|smash your|burn down) ?(?:you|u|your|ur)?\b|\byou(?:'re| are|re) (?:dead|going to die|gonna die)\b(?! (?:wrong|right|on))|\bi know where you live\b|\bwatch your back\b|\b(?:burn|blow up|bomb|shoot up) (?:down )?(?:your|the|this) (?:store|shop|office|building|house|company)\b/g,
  },
  {
    category: "threat",
    score: 0.95,
    regex:
      /\bte (?:voy|vamos) a (?:matar|hacer dano|golpear|partir la cara)|\bse donde vives\b|\bje vais te (?:tuer|buter|frapper|defoncer)|\bje sais ou tu (?:habites|vis)\b|\bich (?:werde|will) dich (?:umbringen|toten|schlagen|finden)|\bich bring(?:e)? dich um\b|\bich weiss wo du wohnst\b/g,
  },
  {
    category: "harassment",
    score: 0.85,
    regex:
      /\b(?:kill|hang|off|end) yourself\b|\bkys\b|\bgo die\b|\byou(?:'re| are|re) (?:a |an |such a |so |the most )?(?:worthless|pathetic|stupid|idiot|moron|retard(?:ed)?|loser|imbecile|waste of space)\b|\b(?:stupid|worthless|pathetic|dumb|useless) (?:idiot|moron|piece of (?:garbage|trash|junk))\b/g,
  },
  {
    category: "harassment",
    score: 0.85,
    regex:
      /\b(?:eres|sos) (?:un |una )?(?:idiota|estupid[oa]|imbecil|inutil de mierda)\b|\bmatate\b|\b(?:t'es|tu es|t es|vous etes) (?:un |une )?(?:idiot|connard|debile|abruti)e?\b|\bva te faire\b|\bdu bist (?:ein |eine )?(?:idiot|vollidiot|depp|versager)\b|\bhalt die fresse\b|\bbring dich um\b/g,
  },
];

export const toxicityDetector = defineDetector({
  name: "toxicity",
  options: z
    .object({
      categories: z
        .array(z.enum(CATEGORIES))
        .min(1)
        .default([...CATEGORIES]),
    })
    .strict(),
  create({ categories }) {
    const phrases = PHRASES.filter((p) => categories.includes(p.category));
    const withProfanity = categories.includes("profanity");
    return {
      detect(_text, { folded }) {
        const found = withProfanity ? findProfanity(folded, 0.7) : [];
        for (const { category, score, regex } of phrases) {
          for (const { start, end } of folded.spans(regex)) {
            found.push({ type: "toxicity", start, end, score, evidence: { category } });
          }
        }
        return found;
      },
    };
  },
});
