import { foldText } from "../fold-text.ts";

/** One regex matching any of the phrases as whole words in a folded text. */
export function phraseRegex(phrases: string[]): RegExp {
  const alternatives = [...new Set(phrases.map((p) => foldText(p.trim()).text))]
    .sort((a, b) => b.length - a.length)
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/ /g, "\\s?"));
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join("|")})(?![\\p{L}\\p{N}])`, "gu");
}
