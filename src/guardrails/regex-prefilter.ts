/**
 * Which regexes cannot match a text, found without running them: each regex is reduced
 * once to the literal strings every match must contain (an AND/OR query, as in RE2's
 * prefilter and Russ Cox's "Regular Expression Matching with a Trigram Index", 2012), and
 * a text to the set of character trigrams it contains. A regex whose query fails on the
 * set has no match, so the detectors' dozens of patterns cost one pass over a long email
 * instead of one each. A query that passes proves nothing: the regex is then run as usual,
 * so results never change, only the work.
 *
 * Trigrams are taken with runs of one character squeezed ("fuuuck" -> "fuck"): a text
 * containing a literal then contains the squeezed literal, and patterns that allow a
 * letter to repeat (the profanity candidates) can be filtered on the same set.
 */
import { parseRegex, type RegexNode } from "./parse-regex.ts";

/** A necessary condition on a text: `true` (nothing known), a literal, or AND/OR of them. */
export type Query = true | { literal: string } | { all: Query[] } | { any: Query[] };

/** The squeezed trigrams of a text, hashed into a bit set sized to the text. */
export interface TrigramSet {
  readonly bits: Int32Array;
  readonly shift: number;
}

const MIN_BITS = 10;
const MAX_BITS = 17;
/** Larger exact sets become OR queries, as RE2 does past 16 strings. */
const MAX_EXACT = 16;

export function trigramSet(text: string): TrigramSet {
  // About 8 bits per character keeps the set sparse enough to reject most literals.
  let size = MIN_BITS;
  while (size < MAX_BITS && 1 << size < text.length * 8) size++;
  const bits = new Int32Array(1 << (size - 5));
  const shift = 32 - size;
  let a = -1;
  let b = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === b) continue;
    if (a >= 0) {
      const h = trigramHash(a, b, c) >>> shift;
      bits[h >>> 5]! |= 1 << (h & 31);
    }
    a = b;
    b = c;
  }
  return { bits, shift };
}

function trigramHash(a: number, b: number, c: number): number {
  return Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b) ^ Math.imul(c, 0xc2b2ae35);
}

/**
 * A query compiled to the trigrams each literal needs, as their 32-bit hashes (a text's
 * set keeps the top bits that fit its size); `true` when it filters nothing.
 */
export type Prefilter = true | { all: Prefilter[] } | { any: Prefilter[] } | { hashes: Int32Array };

export function compileQuery(query: Query): Prefilter {
  if (query === true) return true;
  if ("literal" in query) {
    const squeezed = squeeze(query.literal);
    if (squeezed.length < 3) return true;
    const hashes = new Int32Array(squeezed.length - 2);
    for (let i = 2; i < squeezed.length; i++) {
      hashes[i - 2] = trigramHash(
        squeezed.charCodeAt(i - 2),
        squeezed.charCodeAt(i - 1),
        squeezed.charCodeAt(i),
      );
    }
    return { hashes };
  }
  if ("all" in query) return and(query.all.map(compileQuery));
  return or(query.any.map(compileQuery));
}

/** False only when no text with these trigrams can satisfy the query. */
export function passes(filter: Prefilter, set: TrigramSet): boolean {
  if (filter === true) return true;
  // Index loops: array destructuring and every/some closures were a third of all the
  // memory a check allocated.
  if ("hashes" in filter) {
    const { hashes } = filter;
    const { bits, shift } = set;
    for (let i = 0; i < hashes.length; i++) {
      const h = hashes[i]! >>> shift;
      if ((bits[h >>> 5]! & (1 << (h & 31))) === 0) return false;
    }
    return true;
  }
  if ("all" in filter) {
    for (let i = 0; i < filter.all.length; i++) if (!passes(filter.all[i]!, set)) return false;
    return true;
  }
  for (let i = 0; i < filter.any.length; i++) if (passes(filter.any[i]!, set)) return true;
  return false;
}

const prefilters = new WeakMap<RegExp, Prefilter>();

/** The prefilter of a regex, derived once per regex object. */
export function prefilterOf(regex: RegExp): Prefilter {
  let filter = prefilters.get(regex);
  if (filter === undefined) {
    filter = compileQuery(regexQuery(regex));
    prefilters.set(regex, filter);
  }
  return filter;
}

/**
 * The literals every match of `regex` contains. Case-insensitive and `v`-mode regexes,
 * and any syntax the parser does not know, give `true`: unknown means "may match".
 */
export function regexQuery(regex: RegExp): Query {
  if (regex.flags.includes("i") || regex.flags.includes("v")) return true;
  const node = parseRegex(regex.source);
  return node === undefined ? true : queryOf(infoOf(node));
}

/** What a node can match: exactly one of `exact`, or else something satisfying `query`. */
interface Info {
  exact?: Set<string>;
  query: Query;
}

const ANYTHING: Info = { query: true };
const EMPTY: Info = { exact: new Set([""]), query: true };

function infoOf(node: RegexNode): Info {
  switch (node.kind) {
    case "chars":
      return node.chars.length <= MAX_EXACT
        ? { exact: new Set(node.chars), query: true }
        : ANYTHING;
    case "any":
      return ANYTHING;
    case "empty":
      return EMPTY;
    case "sequence":
      return sequence(node.items.map(infoOf));
    case "alternation":
      return node.items.map(infoOf).reduce(union);
    case "repeat":
      return repeat(infoOf(node.item), node.min, node.max);
  }
}

/**
 * Consecutive exact items multiply out into one run of strings ("i" "g" "n"... -> "ign..."),
 * as long as the run stays small; everything else is ANDed. A sequence is exact only when
 * all of it is.
 */
function sequence(items: Info[]): Info {
  const required: Query[] = [];
  let run: Set<string> | undefined = new Set([""]);
  let exact = true;
  for (const item of items) {
    if (item.exact && run && run.size * item.exact.size <= MAX_EXACT) {
      const next = new Set<string>();
      for (const x of run) for (const y of item.exact) next.add(x + y);
      run = next;
      continue;
    }
    exact = false;
    if (run) required.push(queryOf({ exact: run, query: true }));
    run = item.exact;
    if (!item.exact) required.push(item.query);
  }
  if (exact) return { exact: run, query: true };
  if (run) required.push(queryOf({ exact: run, query: true }));
  return { query: allOf(required) };
}

function union(a: Info, b: Info): Info {
  if (a.exact && b.exact && a.exact.size + b.exact.size <= MAX_EXACT) {
    return { exact: new Set([...a.exact, ...b.exact]), query: true };
  }
  return { query: anyOf([queryOf(a), queryOf(b)]) };
}

function repeat(item: Info, min: number, max: number): Info {
  if (min === 0 && max === 1) {
    return item.exact ? { exact: new Set(["", ...item.exact]), query: true } : ANYTHING;
  }
  if (min === 0) return ANYTHING;
  if (min === 1 && max === 1) return item;
  // At least one copy: every match holds what one copy holds.
  return { query: queryOf(item) };
}

function queryOf(info: Info): Query {
  if (!info.exact) return info.query;
  const literals: Query[] = [...info.exact].map((literal) => ({ literal }));
  return anyOf(literals);
}

function allOf(queries: Query[]): Query {
  const kept = queries.filter((q) => q !== true);
  if (kept.length === 0) return true;
  return kept.length === 1 ? kept[0]! : { all: kept };
}

function anyOf(queries: Query[]): Query {
  if (queries.some((q) => q === true || ("literal" in q && squeeze(q.literal).length < 3)))
    return true;
  return queries.length === 1 ? queries[0]! : { any: queries };
}

function and(filters: Prefilter[]): Prefilter {
  const kept = filters.filter((f) => f !== true);
  if (kept.length === 0) return true;
  return kept.length === 1 ? kept[0]! : { all: kept };
}

function or(filters: Prefilter[]): Prefilter {
  if (filters.some((f) => f === true)) return true;
  return filters.length === 1 ? filters[0]! : { any: filters };
}

/** Runs of one code unit squeezed to one: "ffuuck" -> "fuck". */
export function squeeze(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) if (i === 0 || s[i] !== s[i - 1]) out += s[i];
  return out;
}
