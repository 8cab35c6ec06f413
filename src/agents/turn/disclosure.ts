import { z } from "zod";
import type { Message } from "../../store/index.ts";

/**
 * An agent document's `disclosure`: the sentence that tells a customer they are talking to
 * a machine (EU AI Act art. 50, California's BOT Act), per locale, and the channel types it
 * is required on. It goes in front of the first automated message of a conversation and
 * of the first one after a person handed it back.
 */
export const disclosureSchema = z.strictObject({
  /** The sentence in the document's main language, used when no locale matches. */
  text: z.string().min(1).max(500),
  /** The same sentence per language (`de`, `es`...), chosen by the customer's own words. */
  locales: z
    .record(
      z.string().regex(/^[a-z]{2}$/, "a two-letter language code (ISO 639-1)"),
      z.string().min(1).max(500),
    )
    .default({}),
  /** Channel types it is required on; default every channel. */
  channels: z.array(z.string().min(1)).optional(),
});

export type Disclosure = z.output<typeof disclosureSchema>;

/** What a reply is sent with: the disclosed text and the locale it was disclosed in. */
export interface Disclosed {
  text: string;
  locale: string;
}

/**
 * The reply with the disclosure in front, when this is the first automated message of the
 * conversation, or the first since a person last wrote in it (a handback), on a channel
 * the disclosure covers; undefined when none is due. `history` is the conversation's recent
 * messages, oldest first.
 */
export function disclose(
  text: string,
  disclosure: Disclosure | undefined,
  at: { channelType: string; history: readonly Message[]; customerText: string },
): Disclosed | undefined {
  if (!disclosure || text.trim() === "") return undefined;
  if (disclosure.channels && !disclosure.channels.includes(at.channelType)) return undefined;
  if (!firstAutomated(at.history)) return undefined;
  const locale = languageOf(at.customerText, Object.keys(disclosure.locales));
  const sentence = locale ? disclosure.locales[locale]! : disclosure.text;
  if (text.includes(sentence)) return undefined;
  return { text: `${sentence}\n\n${text}`, locale: locale ?? "default" };
}

/** No automated reply (agent or Mainstay's own) since the conversation began or a person last wrote. */
function firstAutomated(history: readonly Message[]): boolean {
  for (let i = history.length - 1; i >= 0; i--) {
    const m = history[i]!;
    if (m.direction !== "outbound") continue;
    if (m.author === "human") return true;
    if (m.author === "agent" || m.author === "system") return false;
  }
  return true;
}

/** A few of each language's most frequent short words: enough to tell them apart in a line. */
const STOPWORDS: Record<string, readonly string[]> = {
  en: [
    "the",
    "and",
    "is",
    "my",
    "you",
    "what",
    "how",
    "where",
    "can",
    "i",
    "it",
    "to",
    "do",
    "when",
  ],
  de: [
    "der",
    "die",
    "das",
    "und",
    "ist",
    "ich",
    "nicht",
    "mein",
    "meine",
    "wie",
    "wo",
    "bitte",
    "ein",
    "wann",
    "kann",
  ],
  es: [
    "el",
    "la",
    "los",
    "las",
    "que",
    "y",
    "es",
    "mi",
    "por",
    "cómo",
    "como",
    "dónde",
    "donde",
    "una",
    "puedo",
    "cuándo",
  ],
  fr: [
    "le",
    "la",
    "les",
    "et",
    "est",
    "je",
    "mon",
    "ma",
    "pas",
    "vous",
    "comment",
    "où",
    "une",
    "quand",
    "puis",
  ],
  pt: [
    "o",
    "os",
    "que",
    "e",
    "é",
    "meu",
    "minha",
    "não",
    "você",
    "como",
    "onde",
    "uma",
    "quando",
    "posso",
  ],
  it: [
    "il",
    "lo",
    "gli",
    "che",
    "è",
    "di",
    "non",
    "mio",
    "mia",
    "come",
    "dove",
    "una",
    "quando",
    "posso",
  ],
};

/**
 * The language among `candidates` the text is most likely in, by counting its words in each
 * language's short list: at least two, and more than any other. Undefined when unsure.
 */
export function languageOf(text: string, candidates: readonly string[]): string | undefined {
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  let best: string | undefined;
  let bestCount = 0;
  let tie = false;
  for (const language of new Set(["en", ...candidates])) {
    const list = STOPWORDS[language];
    if (!list) continue;
    const count = words.filter((w) => list.includes(w)).length;
    if (count > bestCount) {
      [best, bestCount, tie] = [language, count, false];
    } else if (count === bestCount && count > 0 && language !== best) {
      tie = true;
    }
  }
  if (tie || bestCount < 2 || !best || !candidates.includes(best)) return undefined;
  return best;
}
