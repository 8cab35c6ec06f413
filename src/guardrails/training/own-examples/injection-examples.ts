import { INJECTION_DE } from "./injection-de.ts";
import { INJECTION_EN } from "./injection-en.ts";
import { INJECTION_ES } from "./injection-es.ts";
import { INJECTION_FR } from "./injection-fr.ts";
import { INJECTION_IT } from "./injection-it.ts";
import { INJECTION_PT } from "./injection-pt.ts";
import { expandTemplate, type InjectionLanguage } from "./injection-template.ts";
import type { OwnExample } from "./own-example.ts";

const LANGUAGES: InjectionLanguage[] = [
  INJECTION_EN,
  INJECTION_DE,
  INJECTION_ES,
  INJECTION_FR,
  INJECTION_PT,
  INJECTION_IT,
];

/** Few fills per template: held-out figures should measure unseen templates, not fillers. */
const MAX_FILLS = 4;

interface Frame {
  opener: string;
  closer: string;
  /** Chat users often type in lower case; a share of framed copies does so. */
  lower: boolean;
}

function frameFor(lang: InjectionLanguage, n: number): Frame {
  return {
    opener: lang.openers[n % lang.openers.length]!,
    closer: lang.closers[(n * 3 + 1) % lang.closers.length]!,
    lower: n % 4 === 1,
  };
}

function join(first: string, second: string): string {
  return first.endsWith("\n") ? first + second : `${first} ${second}`;
}

/** The template's fills plus one or two copies wrapped in a greeting or sign-off. */
function copiesOf(template: string, frame: Frame): string[] {
  const fills = expandTemplate(template, MAX_FILLS);
  const opened = join(frame.opener, fills[0]!);
  const framed = [frame.lower ? opened.toLowerCase() : opened];
  if (fills.length < 3) framed.push(join(fills[fills.length - 1]!, frame.closer));
  const seen = new Set<string>();
  return [...fills, ...framed].filter((text) => {
    const key = text.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function languageExamples(lang: InjectionLanguage): OwnExample[] {
  const examples: OwnExample[] = [];
  let n = 0;
  const sides = [
    { side: "pos", groups: lang.positive, labels: ["injection"] },
    { side: "neg", groups: lang.negative, labels: [] },
  ];
  for (const { side, groups, labels } of sides) {
    for (const [category, templates] of Object.entries(groups)) {
      templates.forEach((template, i) => {
        const item = `inj-${lang.lang}-${side}-${category}-${String(i + 1).padStart(2, "0")}`;
        for (const text of copiesOf(template, frameFor(lang, n++))) {
          examples.push({ item, text, labels: [...labels] });
        }
      });
    }
  }
  return examples;
}

/**
 * Our own prompt-injection examples in six languages: overrides, persona jailbreaks,
 * prompt extraction, fake authority markers, output hijacks and injections inside a
 * support message, against hard negatives that use the same words in their ordinary
 * customer-service sense (cancel, ignore, reset, "act as", "the system says").
 */
export function injectionExamples(): OwnExample[] {
  return LANGUAGES.flatMap(languageExamples);
}
