/**
 * Writes src/guardrails/latin-confusables.ts: every character that Unicode's confusables
 * data (UTS #39) says looks like a Latin letter, digit or ASCII mark, with what it folds to.
 *
 *   tsx scripts/generate-confusables.ts confusables.txt UnicodeData.txt Scripts.txt
 *
 * The files come from https://www.unicode.org/Public/<version>/ (security/ and ucd/).
 * confusables.txt maps each character to a prototype, which is not always ASCII: Cyrillic
 * т maps to small capital ᴛ, м to turned ʍ. Small capitals are not mapped at all, so their
 * letter is read from their name in UnicodeData.txt ("LATIN LETTER SMALL CAPITAL T"), and
 * every member of a prototype's class takes the letter of a small capital in it. Letters
 * fold only from scripts that can spell words with them (8 or more Latin letters): Arabic
 * alef looks like "l", but Arabic text is not Latin in disguise.
 */
import { readFileSync, writeFileSync } from "node:fs";

const [confusablesPath, unicodeDataPath, scriptsPath] = process.argv.slice(2);
if (!confusablesPath || !unicodeDataPath || !scriptsPath) {
  process.stderr.write(
    "usage: tsx scripts/generate-confusables.ts confusables.txt UnicodeData.txt Scripts.txt\n",
  );
  process.exit(2);
}
const MIN_SPOOFING_LETTERS = 8;
const OUT = new URL("../src/guardrails/latin-confusables.ts", import.meta.url);
const MARKS = /\p{M}/gu;
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

const confusables = readFileSync(confusablesPath, "utf8");
const version = /^# Version: (\S+)/m.exec(confusables)?.[1] ?? "unknown";
/** Source character -> prototype, single-character sources only. */
const prototypeOf = new Map<string, string>();
for (const line of confusables.split("\n")) {
  const match = /^([0-9A-F]+) ;\t([0-9A-F ]+) ;/.exec(line.replace(/^\uFEFF/, ""));
  if (!match) continue;
  const source = String.fromCodePoint(Number.parseInt(match[1]!, 16));
  const target = match[2]!
    .trim()
    .split(" ")
    .map((hex) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .join("");
  prototypeOf.set(source, target);
}

/** Small capitals (and the one capital small capital) -> their Latin letters. */
const smallCapital = new Map<string, string>();
/** Dash punctuation (general category Pd): all read as "-", which confusables leaves out for —. */
const dashes = new Set<string>();
for (const line of readFileSync(unicodeDataPath, "utf8").split("\n")) {
  const [hex, name, category] = line.split(";");
  if (!hex) continue;
  const char = String.fromCodePoint(Number.parseInt(hex, 16));
  const letters = /^LATIN (?:LETTER|CAPITAL LETTER) SMALL CAPITAL ([A-Z]{1,2})$/.exec(name ?? "");
  if (letters) smallCapital.set(char, letters[1]!);
  if (category === "Pd") dashes.add(char);
}

const scriptRanges: { from: number; to: number; script: string }[] = [];
for (const line of readFileSync(scriptsPath, "utf8").split("\n")) {
  const range = /^([0-9A-F]+)(?:\.\.([0-9A-F]+))?\s*;\s*(\w+)/.exec(line);
  if (!range) continue;
  const from = Number.parseInt(range[1]!, 16);
  scriptRanges.push({ from, to: Number.parseInt(range[2] ?? range[1]!, 16), script: range[3]! });
}
function scriptOf(char: string): string {
  const code = char.codePointAt(0)!;
  return scriptRanges.find((r) => code >= r.from && code <= r.to)?.script ?? "Unknown";
}

/** Each prototype's members, the prototype itself included. */
const classes = new Map<string, string[]>();
for (const [source, prototype] of prototypeOf) {
  const members = classes.get(prototype) ?? [prototype];
  members.push(source);
  classes.set(prototype, members);
}

function plain(text: string): string {
  return text.normalize("NFKD").replace(MARKS, "");
}

function foldOf(source: string): string | undefined {
  const capital = smallCapital.get(source);
  if (capital) return capital.toLowerCase();
  const prototype = prototypeOf.get(source) ?? source;
  const members = classes.get(prototype) ?? [prototype];
  const ascii = plain(prototype);
  if (PRINTABLE_ASCII.test(ascii)) {
    // A capital that looks like "l" (Greek Ι) reads as the capital "I" in the same class.
    const upper = /\p{Lu}/u.test(source) && members.find((m) => /^[A-Z]$/.test(m));
    return (upper || ascii).toLowerCase();
  }
  const letter = members.map((m) => smallCapital.get(m)).find(Boolean);
  return letter?.toLowerCase() ?? (dashes.has(source) ? "-" : undefined);
}

const candidates: [string, string][] = [];
for (const source of new Set([...prototypeOf.keys(), ...smallCapital.keys(), ...dashes])) {
  // ASCII is folded by its own rules; a digit stays a number ("١" is one, not "l"); marks
  // are dropped with the diacritics; and
  // where compatibility decomposition already gives ASCII ("𝟏" is "1", "ſ" is "s"), it wins.
  if (source.codePointAt(0)! < 0x80 || /[\p{Nd}\p{M}]/u.test(source)) continue;
  if (PRINTABLE_ASCII.test(plain(source))) continue;
  // Letters fold to letters, marks to marks: Hebrew yod is not an apostrophe, nor ノ a slash.
  const fold = foldOf(source);
  if (fold && /\p{L}/u.test(source) === /^[a-z]+$/.test(fold)) candidates.push([source, fold]);
}
const lettersByScript = new Map<string, Set<string>>();
for (const [source, fold] of candidates) {
  if (!/\p{L}/u.test(source)) continue;
  const letters = lettersByScript.get(scriptOf(source)) ?? new Set();
  for (const letter of fold) letters.add(letter);
  lettersByScript.set(scriptOf(source), letters);
}
const entries = candidates.filter(
  ([source]) =>
    !/\p{L}/u.test(source) ||
    (lettersByScript.get(scriptOf(source))?.size ?? 0) >= MIN_SPOOFING_LETTERS,
);
entries.sort(([a], [b]) => a.codePointAt(0)! - b.codePointAt(0)!);

const escaped = (text: string) =>
  [...text]
    .map((c) => {
      const code = c.codePointAt(0)!;
      if (code >= 0x20 && code < 0x7f && c !== '"' && c !== "\\") return c;
      return `\\u{${code.toString(16).toUpperCase()}}`;
    })
    .join("");
const body = entries.map(([s, t]) => `  "${escaped(s)}": "${escaped(t)}",`).join("\n");
writeFileSync(
  OUT,
  `// Generated by scripts/generate-confusables.ts from Unicode ${version} confusables.txt (UTS #39)
// UnicodeData.txt and Scripts.txt. Do not edit. © Unicode, Inc.; Unicode License v3,
// https://www.unicode.org/license.txt (Unicode data files may be redistributed with this notice).

/** Characters that look like a Latin letter, digit or ASCII mark -> the lower-case ASCII they fold to. */
export const LATIN_CONFUSABLES: Readonly<Record<string, string>> = {
${body}
};
`,
);
process.stdout.write(`${entries.length} characters from Unicode ${version}\n`);
