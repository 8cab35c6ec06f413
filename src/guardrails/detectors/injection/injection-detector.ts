import { z } from "zod";
import { defineDetector } from "../../detector.ts";
import type { Detection } from "../../finding.ts";
import { type FoldedText, foldText } from "../../fold-text.ts";
import { matchesOf } from "../../regex-matches.ts";
import { decodeBase64Blobs } from "./decode-base64-blobs.ts";
import { INJECTION_PATTERNS, type InjectionPattern } from "./injection-patterns.ts";

interface Hit {
  pattern: InjectionPattern;
  start: number;
  end: number;
  obfuscated: boolean;
}

const FOLDED = INJECTION_PATTERNS.filter((p) => p.view === "folded");
const RAW = INJECTION_PATTERNS.filter((p) => p.view === "raw");
const MARKS = /\p{M}/gu;
const SPACES = /\s+/g;
/** Extra evidence when a phrase only matched once the text was un-obfuscated. */
const OBFUSCATION_WEIGHT = 0.3;

export const injectionDetector = defineDetector({
  name: "injection",
  options: z
    .object({
      threshold: z
        .number()
        .min(0)
        .max(1)
        .default(0.5)
        .describe("Minimum combined score for an `injection` finding."),
    })
    .strict(),
  create({ threshold }) {
    return {
      detect(text, context) {
        const hits = [...rawHits(text), ...foldedHits(text, context.folded), ...base64Hits(text)];
        if (hits.length === 0) return [];
        const score = combinedScore(hits);
        if (score < threshold) return [];
        return [toFinding(hits, score)];
      },
    };
  },
});

function rawHits(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const pattern of RAW) {
    for (const m of matchesOf(pattern.regex, text)) {
      hits.push({ pattern, start: m.index, end: m.index + m[0].length, obfuscated: false });
    }
  }
  return hits;
}

function foldedHits(text: string, folded: FoldedText): Hit[] {
  const hits: Hit[] = [];
  for (const pattern of FOLDED) {
    if (!folded.mayMatch(pattern.regex)) continue;
    for (const m of matchesOf(pattern.regex, folded.text)) {
      const [start, end] = folded.original(m.index, m.index + m[0].length);
      const plain = text.slice(start, end).normalize("NFKD").replace(MARKS, "").toLowerCase();
      hits.push({ pattern, start, end, obfuscated: plain.replace(SPACES, " ") !== m[0] });
    }
  }
  return hits;
}

function base64Hits(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const blob of decodeBase64Blobs(text)) {
    for (const hit of foldedHits(blob.text, foldText(blob.text))) {
      hits.push({ ...hit, start: blob.start, end: blob.end, obfuscated: true });
    }
  }
  return hits;
}

function combinedScore(hits: Hit[]): number {
  const weights = new Map<string, number>();
  for (const hit of hits) weights.set(hit.pattern.id, hit.pattern.weight);
  if (hits.some((h) => h.obfuscated)) weights.set("obfuscation", OBFUSCATION_WEIGHT);
  let miss = 1;
  for (const w of weights.values()) miss *= 1 - w;
  return Math.round((1 - miss) * 1000) / 1000;
}

function toFinding(hits: Hit[], score: number): Detection {
  const categories = new Set(hits.map((h) => h.pattern.category));
  if (hits.some((h) => h.obfuscated)) categories.add("obfuscation");
  return {
    type: "injection",
    start: hits.reduce((min, h) => Math.min(min, h.start), Number.POSITIVE_INFINITY),
    end: hits.reduce((max, h) => Math.max(max, h.end), 0),
    score,
    evidence: {
      patterns: [...new Set(hits.map((h) => h.pattern.id))],
      categories: [...categories],
    },
  };
}
