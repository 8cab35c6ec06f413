import { z } from "zod";
import { defineDetector } from "../detector.ts";
import { findProfanity } from "./find-profanity.ts";

const CATEGORIES = ["profanity", "threat", "harassment", "self_harm"] as const;
type Category = (typeof CATEGORIES)[number];

/**
 * Threats, harassment and the writer's own self-harm intent, on the folded view (lower
 * case, no accents): threats and harassment in EN/ES/FR/DE, self-harm in EN/DE/ES/FR/PT/IT.
 */
const PHRASES: { category: Exclude<Category, "profanity">; score: number; regex: RegExp }[] = [
  {
    category: "threat",
    score: 0.95,
    regex:
      /\bi(?: am|m|'m)? (?:going to|gonna|will|'ll|ll|want to|wanna) (?:kill|murder|hurt|shoot|stab|strangle|beat you up|break your|smash your|burn down)(?! myself| me\b) ?(?:you|u|your|ur)?\b|\byou(?:'re| are|re) (?:dead|going to die|gonna die)\b(?! (?:wrong|right|on))|\bi know where you live\b|\bwatch your back\b|\b(?:burn|blow up|bomb|shoot up) (?:down )?(?:your|the|this) (?:store|shop|office|building|house|company)\b/g,
  },
  {
    category: "threat",
    score: 0.95,
    regex:
      /\bte (?:voy|vamos) a (?:matar|hacer dano|golpear|partir la cara)|\bse donde vives\b|\bje vais te (?:tuer|buter|frapper|defoncer)|\bje sais ou tu (?:habites|vis)\b|\bich (?:werde|will) dich (?:umbringen|toten|schlagen|finden)|\bich bring(?:e)? dich um\b|\bich weiss wo du wohnst\b/g,
  },
  {
    category: "threat",
    score: 0.9,
    regex:
      /(?<!\bi (?:really |just |probably )?)\b(?:should|must|ought to|need to|deserve to) (?:all )?(?:be )?(?:shot|hanged|hung|gassed|burned|burnt|lynched|killed|executed|exterminated|wiped out|put down|die|suffer)\b|\bkill (?:all|every|them all)\b|\bput a bullet in\b|\b(?:someone|somebody) should (?:shoot|kill|burn|stab|hurt)\b/g,
  },
  {
    category: "self_harm",
    score: 0.9,
    regex:
      /\b(?:kill|killing|hurt|hurting|harm|harming|cut|cutting) myself\b|\b(?:end|ending|take|taking) my (?:own )?life\b|\bi(?: am|'m|m)? (?:want|wanna|going|planning|ready|about) to die\b(?! (?:of|for|laughing|a little|inside))|\bi(?: am|'m|m) (?:feeling )?suicidal\b|\b(?:thinking|thought) (?:about|of) (?:suicide|killing myself|ending it)\b|\b(?:no|nothing|not any) (?:reason|point) (?:to|in) (?:live|living|go on|going on|being alive)\b|\bbetter off dead\b|\bdon'?t want to (?:live|be alive|be here anymore|wake up|exist)\b|\bwish i (?:was|were) dead\b|\bnot worth living\b|\b(?:sleep|go to sleep) and never wake up\b|\b(?:take|taking|swallow|swallowing) all (?:of )?(?:my|the) (?:pills|tablets|meds)\b|\b(?:i'?d|i would) rather be dead\b|\b(?:decided|going|ready) to end it(?: all)?\b|\bwon'?t be (?:here|around|alive) (?:tomorrow|much longer|anymore)\b/g,
  },
  {
    category: "self_harm",
    score: 0.9,
    regex:
      /\bich (?:will|werde|mochte) (?:sterben|mich umbringen|mich toten|nicht mehr leben)\b|\bmeinem leben ein ende\b|\b(?:quiero|voy a) (?:morir(?:me)?|matarme|suicidarme)\b|\bquitarme la vida\b|\bno quiero (?:vivir|seguir viviendo)\b|\b(?:je veux|je vais) (?:mourir|me tuer|me suicider)\b|\bmettre fin a mes jours\b|\b(?:quero|vou) (?:morrer|me matar|me suicidar)\b|\btirar a (?:minha )?(?:propria )?vida\b|\b(?:voglio|sto per) (?:morire|uccidermi|suicidarmi)\b|\btogliermi la vita\b|\bfarla finita\b/g,
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
