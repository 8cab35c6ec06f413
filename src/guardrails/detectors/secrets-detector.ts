import { z } from "zod";
import { defineDetector } from "../detector.ts";
import { dropOverlaps } from "../drop-overlaps.ts";
import type { Detection } from "../finding.ts";
import { matchesOf } from "../regex-matches.ts";

/**
 * Credential formats published by each vendor (the same ones GitHub secret scanning
 * matches). Bounded quantifiers keep every pattern linear.
 */
const KNOWN: { kind: string; regex: RegExp }[] = [
  {
    kind: "private_key",
    regex:
      /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]{0,8000}?-----END [A-Z ]{0,30}PRIVATE KEY(?: BLOCK)?-----)?/g,
  },
  {
    kind: "openai",
    regex: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,200}(?![A-Za-z0-9_-])/g,
  },
  { kind: "aws", regex: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g },
  {
    kind: "github",
    regex: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{60,255})\b/g,
  },
  {
    kind: "slack",
    regex:
      /\bxox[abprs]-[A-Za-z0-9-]{10,250}\b|https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/]{20,120}/g,
  },
  { kind: "stripe", regex: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,247}\b/g },
];

const TOKEN = /[A-Za-z0-9+/_=-]{20,512}/g;

export const secretsDetector = defineDetector({
  name: "secrets",
  options: z
    .object({
      entropy: z
        .object({
          minLength: z.number().int().min(12).default(24),
          minBitsPerChar: z.number().min(0).max(8).default(4),
        })
        .strict()
        .nullable()
        .default({ minLength: 24, minBitsPerChar: 4 })
        .describe("High-entropy token search; null turns it off."),
    })
    .strict(),
  create({ entropy }) {
    return {
      detect(text) {
        const found: Detection[] = [];
        for (const { kind, regex } of KNOWN) {
          for (const m of matchesOf(regex, text)) {
            found.push(secret(`secret.${kind}`, m.index, m[0].length, 0.99, { format: kind }));
          }
        }
        if (!entropy) return found;
        // Known formats are listed first, so they win over the entropy token they sit in.
        for (const m of matchesOf(TOKEN, text)) {
          if (m[0].length < entropy.minLength) continue;
          const bits = shannonBits(m[0]);
          if (bits < entropy.minBitsPerChar || !looksRandom(m[0])) continue;
          found.push(
            secret("secret.high_entropy", m.index, m[0].length, 0.7, { bitsPerChar: round(bits) }),
          );
        }
        return dropOverlaps(found);
      },
    };
  },
});

function secret(
  type: string,
  start: number,
  length: number,
  score: number,
  evidence: Record<string, unknown>,
): Detection {
  return { type, start, end: start + length, score, evidence };
}

/** Random keys mix lower case, upper case and digits; words, slugs and hex hashes do not. */
function looksRandom(token: string): boolean {
  return (
    /[a-z]/.test(token) &&
    /[A-Z]/.test(token) &&
    /\d/.test(token) &&
    !/[a-z]{12}|[A-Z]{12}/.test(token)
  );
}

function shannonBits(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
