import { collapseDuplicatesTransformer, englishDataset, RegExpMatcher } from "obscenity";
import type { Detection } from "../finding.ts";
import type { FoldedText } from "../fold-text.ts";
import { matchesOf } from "../regex-matches.ts";

interface Pattern {
  nodes: PatternNode[];
  requireWordBoundaryAtStart: boolean;
  requireWordBoundaryAtEnd: boolean;
}

interface PatternNode {
  kind: number;
  chars?: number[];
  childNode?: PatternNode;
}

const NOT_AFTER_LETTER = "(?<![a-z])";
const NOT_BEFORE_LETTER = "(?![a-z])";
const WINDOW_REACH = 40;
const MAX_REPEAT = 16;
// Joins windows for one obscenity call; no term spans it.
const GAP = " \n\n ";

const dataset = englishDataset.build();

/**
 * obscenity's English list with its whitelist ("Scunthorpe", "assassin"). It runs on the
 * folded view, which already undoes case, leetspeak, confusables and spacing, so of its
 * recommended transformers only duplicate collapsing ("fuuuck") is left; thresholds as in
 * obscenity's englishRecommendedTransformers.
 */
const matcher = new RegExpMatcher({
  ...dataset,
  blacklistMatcherTransformers: [
    collapseDuplicatesTransformer({
      defaultThreshold: 1,
      customThresholds: new Map([
        ["b", 2],
        ["e", 2],
        ["o", 2],
        ["l", 2],
        ["s", 2],
        ["g", 2],
      ]),
    }),
  ],
});

/**
 * obscenity costs ~150 µs per 2 KB, so one regex built from its own patterns (each
 * letter allowed to repeat up to 16 times: a superset, and bounded so a 1 MB run of one
 * letter stays linear) finds where a term could be, and obscenity only judges a window
 * of a few words around each such place. Longer runs ("fuuuu...uck") are a known limit.
 */
const CANDIDATES = new RegExp(
  dataset.blacklistedTerms.map((t) => patternSource(t.pattern)).join("|"),
  "g",
);

export function findProfanity(folded: FoldedText, score: number): Detection[] {
  const text = folded.text;
  const windows: [number, number][] = [];
  for (const hit of matchesOf(CANDIDATES, text)) {
    const last = windows[windows.length - 1];
    if (last && hit.index < last[1]) continue;
    windows.push([wordEdge(text, hit.index, -1), wordEdge(text, hit.index + hit[0].length, 1)]);
  }
  if (windows.length === 0) return [];
  let joined = "";
  const offsets: number[] = [];
  for (const [start, end] of windows) {
    offsets.push(joined.length);
    joined += `${text.slice(start, end)}${GAP}`;
  }
  const found: Detection[] = [];
  let w = 0;
  for (const m of matcher.getAllMatches(joined, true)) {
    while (w + 1 < offsets.length && offsets[w + 1]! <= m.startIndex) w++;
    const shift = windows[w]![0] - offsets[w]!;
    const [s, e] = folded.original(m.startIndex + shift, m.endIndex + 1 + shift);
    found.push({ type: "toxicity", start: s, end: e, score, evidence: { category: "profanity" } });
  }
  return found;
}

function patternSource(pattern: Pattern): string {
  const start = pattern.requireWordBoundaryAtStart ? NOT_AFTER_LETTER : "";
  const end = pattern.requireWordBoundaryAtEnd ? NOT_BEFORE_LETTER : "";
  return `${start}${pattern.nodes.map(nodeSource).join("")}${end}`;
}

// obscenity SyntaxKind: 0 optional, 1 wildcard, 2 literal, 3 boundary assertion.
function nodeSource(node: PatternNode): string {
  if (node.kind === 0) return `(?:${nodeSource(node.childNode!)})?`;
  if (node.kind === 1) return "[^ ]";
  if (node.kind === 2) {
    return node
      .chars!.map((c) => `${escapeRegex(String.fromCharCode(c))}{1,${MAX_REPEAT}}`)
      .join("");
  }
  return "";
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** From `at`, past the current word and one more (whitelisted terms span two words), bounded. */
function wordEdge(text: string, at: number, step: 1 | -1): number {
  let i = at;
  let spaces = 0;
  for (let n = 0; n < WINDOW_REACH; n++) {
    const next = step === 1 ? i : i - 1;
    if (next < 0 || next >= text.length) break;
    if (text[next] === " " && ++spaces > 2) break;
    i += step;
  }
  return i;
}
