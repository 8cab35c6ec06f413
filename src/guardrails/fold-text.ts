import { LATIN_CONFUSABLES } from "./latin-confusables.ts";
import { matchesOf } from "./regex-matches.ts";
import { passes, prefilterOf, type TrigramSet, trigramSet } from "./regex-prefilter.ts";

/**
 * A matching view of a text that undoes the usual ways people hide words from filters:
 * compatibility forms (fullwidth, ligatures), diacritics, case, zero-width characters,
 * look-alike letters from other scripts and small capitals (Unicode confusables), leetspeak inside words and s.p.a.c.e.d letters.
 * Every folded code unit remembers the original span it came from, so findings made on
 * the view are reported against the original text.
 */
export interface FoldedText {
  readonly text: string;
  /** Original [start, end) of the folded span [start, end). */
  original(start: number, end: number): [number, number];
  /** Every match of a global regex on the folded text, as spans of the original. */
  spans(regex: RegExp): { start: number; end: number }[];
  /** False when the regex cannot match the folded text (regex-prefilter.ts): skip it. */
  mayMatch(regex: RegExp): boolean;
  /** The folded text's squeezed trigrams, computed on first use. */
  readonly trigrams: TrigramSet;
}

// Unicode Default_Ignorable code points people insert to split words (zero-width
// spaces and joiners, bidi controls, variation selectors, soft hyphen...).
const INVISIBLE: [number, number][] = [
  [0xad, 0xad],
  [0x34f, 0x34f],
  [0x61c, 0x61c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
];
const MARKS = /\p{M}/gu;
const SPACE = /\s/;
const LETTER = /\p{L}/u;

/** Look-alikes of Latin letters and ASCII marks, from Unicode's confusables data (UTS #39). */
const CONFUSABLES = new Map(Object.entries(LATIN_CONFUSABLES));

/** ASCII code -> the letter it stands for in leetspeak, 0 for none. */
const LEET = new Uint8Array(128);
for (const [from, to] of Object.entries({
  "0": "o",
  "1": "i",
  "3": "e",
  "4": "a",
  "5": "s",
  "7": "t",
  "@": "a",
  $: "s",
  "!": "i",
  "|": "l",
})) {
  LEET[from.charCodeAt(0)] = to.charCodeAt(0);
}

const SPACE_CODE = 32;
// Typed arrays use the platform byte order, little-endian on every platform Node runs on.
const UTF16 = new TextDecoder("utf-16le");
const SEPARATORS = new Set([..." .-_*+~/"].map((c) => c.charCodeAt(0)));

/** Folded code units and their original spans, in typed arrays that grow as needed. */
class Builder {
  length = 0;
  codes: Uint16Array;
  starts: Int32Array;
  ends: Int32Array;
  constructor(capacity: number) {
    this.codes = new Uint16Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
  }
  push(code: number, start: number, end: number): void {
    if (code === SPACE_CODE && this.length > 0 && this.codes[this.length - 1] === SPACE_CODE)
      return;
    if (this.length === this.codes.length) this.grow();
    this.codes[this.length] = code;
    this.starts[this.length] = start;
    this.ends[this.length] = end;
    this.length++;
  }
  private grow(): void {
    const size = this.codes.length * 2 + 16;
    const codes = new Uint16Array(size);
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    codes.set(this.codes);
    starts.set(this.starts);
    ends.set(this.ends);
    this.codes = codes;
    this.starts = starts;
    this.ends = ends;
  }
}

export function foldText(input: string): FoldedText {
  const out = new Builder(input.length);
  let i = 0;
  while (i < input.length) {
    const code = input.charCodeAt(i);
    if (code < 128) {
      out.push(foldAscii(input, i, code), i, i + 1);
      i++;
      continue;
    }
    const width = code >= 0xd800 && code <= 0xdbff && i + 1 < input.length ? 2 : 1;
    for (const c of foldOther(input.slice(i, i + width))) out.push(c, i, i + width);
    i += width;
  }
  joinSpacedLetters(out);
  return view(out, input.length);
}

function foldAscii(input: string, i: number, code: number): number {
  if (code === SPACE_CODE || (code >= 9 && code <= 13)) return SPACE_CODE;
  if (code >= 65 && code <= 90) return code + 32;
  const leet = LEET[code]!;
  return leet !== 0 && readsAsLetter(input, i, code) ? leet : code;
}

/**
 * A leet character reads as a letter inside a run of letters and leet characters: a
 * digit when the run has a letter on either side ("prev10us", "1gnore"), a symbol only
 * between letters ("sh!t", but not "stop!"). "24 hours" and "$45" stay as they are.
 */
function readsAsLetter(input: string, i: number, code: number): boolean {
  const before = letterInRun(input, i, -1);
  const after = letterInRun(input, i, 1);
  const digit = code >= 48 && code <= 57;
  return digit ? before || after : before && after;
}

const MAX_LEET_RUN = 8;

function letterInRun(input: string, i: number, step: 1 | -1): boolean {
  for (let j = i + step, n = 0; j >= 0 && j < input.length && n < MAX_LEET_RUN; j += step, n++) {
    const code = input.charCodeAt(j);
    if (isLetterCode(code)) return true;
    if (code >= 128 || LEET[code] === 0) return false;
  }
  return false;
}

function isLetterCode(code: number): boolean {
  if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90)) return true;
  return code >= 128 && LETTER.test(String.fromCharCode(code));
}

/** Folded code units per character already seen: most texts repeat a few hundred. */
const FOLDED = new Map<string, readonly number[]>();
const MAX_FOLDED = 4096;

function foldOther(c: string): readonly number[] {
  let codes = FOLDED.get(c);
  if (codes === undefined) {
    if (FOLDED.size >= MAX_FOLDED) FOLDED.clear();
    codes = foldCharacter(c);
    FOLDED.set(c, codes);
  }
  return codes;
}

function foldCharacter(c: string): number[] {
  const code = c.codePointAt(0)!;
  if (INVISIBLE.some(([low, high]) => code >= low && code <= high)) return [];
  if (SPACE.test(c)) return [SPACE_CODE];
  const base = c.normalize("NFKD").replace(MARKS, "").toLowerCase();
  // Greek capital eta reads as "h" but its lower case as "n": the character itself first.
  const folded = CONFUSABLES.get(c) ?? CONFUSABLES.get(base) ?? base;
  const codes: number[] = [];
  for (let k = 0; k < folded.length; k++) codes.push(folded.charCodeAt(k));
  return codes;
}

function isWordCode(code: number): boolean {
  if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) return true;
  return code >= 128 && LETTER.test(String.fromCharCode(code));
}

/** "i g n o r e" or "i.g.n.o.r.e" (four or more single letters) -> "ignore". */
function joinSpacedLetters(out: Builder): void {
  const { codes, length } = out;
  let drop: Uint8Array | undefined;
  let i = 0;
  while (i < length) {
    const startsRun = isWordCode(codes[i]!) && !(i > 0 && isWordCode(codes[i - 1]!));
    if (!startsRun || i + 1 >= length || !SEPARATORS.has(codes[i + 1]!)) {
      i++;
      continue;
    }
    let j = i;
    let letters = 1;
    while (
      j + 2 < length &&
      SEPARATORS.has(codes[j + 1]!) &&
      isWordCode(codes[j + 2]!) &&
      !(j + 3 < length && isWordCode(codes[j + 3]!))
    ) {
      j += 2;
      letters++;
    }
    if (letters >= 4) {
      drop ??= new Uint8Array(length);
      for (let k = i + 1; k < j; k += 2) drop[k] = 1;
      i = j + 1;
    } else {
      i++;
    }
  }
  if (drop) compact(out, drop);
}

function compact(out: Builder, drop: Uint8Array): void {
  let w = 0;
  for (let r = 0; r < out.length; r++) {
    if (drop[r]) continue;
    out.codes[w] = out.codes[r]!;
    out.starts[w] = out.starts[r]!;
    out.ends[w] = out.ends[r]!;
    w++;
  }
  out.length = w;
}

function view(out: Builder, length: number): FoldedText {
  const { starts, ends } = out;
  const count = out.length;
  // Native and ~20x faster than String.fromCharCode; lone surrogates become U+FFFD, one
  // code unit for one, so offsets still line up.
  const text = UTF16.decode(out.codes.subarray(0, count));
  const original = (start: number, end: number): [number, number] => {
    if (start >= end) {
      const at = start < count ? starts[start]! : length;
      return [at, at];
    }
    return [start < count ? starts[start]! : length, end - 1 < count ? ends[end - 1]! : length];
  };
  let trigrams: TrigramSet | undefined;
  const trigramsOf = () => {
    trigrams ??= trigramSet(text);
    return trigrams;
  };
  const mayMatch = (regex: RegExp) => passes(prefilterOf(regex), trigramsOf());
  return {
    text,
    original,
    get trigrams() {
      return trigramsOf();
    },
    mayMatch,
    spans(regex) {
      const spans: { start: number; end: number }[] = [];
      if (!mayMatch(regex)) return spans;
      for (const m of matchesOf(regex, text)) {
        const [start, end] = original(m.index, m.index + m[0].length);
        spans.push({ start, end });
      }
      return spans;
    },
  };
}
