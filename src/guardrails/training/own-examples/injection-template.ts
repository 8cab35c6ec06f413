/**
 * The compact notation our injection examples are written in. `{a|b|c}` offers
 * alternatives; a brace group without a `|` is literal text (so "{name}" or JSON in a
 * developer's question stays as written).
 */

/** One language's written examples, grouped by category so item ids say what they test. */
export interface InjectionLanguage {
  lang: string;
  /** Greetings and sign-offs shared by positives and negatives, so neither side owns them. */
  openers: string[];
  closers: string[];
  positive: Record<string, string[]>;
  negative: Record<string, string[]>;
}

type Part = string | string[];

const GROUP = /\{([^{}]*\|[^{}]*)\}/g;

function parse(template: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const match of template.matchAll(GROUP)) {
    parts.push(template.slice(last, match.index));
    parts.push(match[1]!.split("|"));
    last = match.index! + match[0].length;
  }
  parts.push(template.slice(last));
  return parts;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * Up to `max` fills of a template. Combinations are visited with a stride coprime to
 * their number, so every group cycles through its alternatives instead of the first
 * group staying on its first choice.
 */
export function expandTemplate(template: string, max: number): string[] {
  const parts = parse(template);
  const radices = parts.map((part) => (typeof part === "string" ? 1 : part.length));
  const total = radices.reduce((product, radix) => product * radix, 1);
  const count = Math.min(total, max);
  let stride = Math.max(1, Math.floor(total / count));
  while (gcd(stride, total) !== 1) stride++;
  const found = new Set<string>();
  for (let k = 0; k < count; k++) {
    let index = (k * stride) % total;
    const text = parts
      .map((part, i) => {
        if (typeof part === "string") return part;
        const choice = part[index % radices[i]!]!;
        index = Math.floor(index / radices[i]!);
        return choice;
      })
      .join("");
    found.add(text.trim());
  }
  return [...found];
}
