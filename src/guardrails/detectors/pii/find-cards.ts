import type { Detection } from "../../finding.ts";
import { matchesOf } from "../../regex-matches.ts";
import { followsReferenceWord } from "./negative-context.ts";

// 12 to 19 digits, optionally grouped by single spaces or dashes; bounded, so linear.
const CANDIDATE = /(?<![\d.,-])\d(?:[ -]?\d){11,18}(?![\d]|[.,]\d)/g;

/** Issuer (IIN) prefixes and lengths, per the card networks' published ranges. */
const BRANDS: { brand: string; test: (d: string) => boolean; lengths: number[] }[] = [
  { brand: "visa", test: (d) => d.startsWith("4"), lengths: [13, 16, 19] },
  {
    brand: "mastercard",
    test: (d) => inRange(d, 2, 51, 55) || inRange(d, 4, 2221, 2720),
    lengths: [16],
  },
  { brand: "amex", test: (d) => inRange(d, 2, 34, 34) || inRange(d, 2, 37, 37), lengths: [15] },
  {
    brand: "discover",
    test: (d) => d.startsWith("6011") || inRange(d, 3, 644, 649) || d.startsWith("65"),
    lengths: [16, 17, 18, 19],
  },
  { brand: "jcb", test: (d) => inRange(d, 4, 3528, 3589), lengths: [16, 17, 18, 19] },
  {
    brand: "diners",
    test: (d) => inRange(d, 3, 300, 305) || d.startsWith("36") || inRange(d, 2, 38, 39),
    lengths: [14, 15, 16, 17, 18, 19],
  },
  { brand: "unionpay", test: (d) => d.startsWith("62"), lengths: [16, 17, 18, 19] },
  {
    brand: "maestro",
    test: (d) => inRange(d, 2, 56, 69) || d.startsWith("50"),
    lengths: [12, 13, 14, 15, 16, 17, 18, 19],
  },
];

export function findCards(text: string): Detection[] {
  const found: Detection[] = [];
  for (const match of matchesOf(CANDIDATE, text)) {
    const digits = match[0].replace(/[ -]/g, "");
    const brand = BRANDS.find((b) => b.lengths.includes(digits.length) && b.test(digits));
    if (!brand || !luhnValid(digits) || followsReferenceWord(text, match.index)) continue;
    found.push({
      type: "pii.card",
      start: match.index,
      end: match.index + match[0].length,
      score: 0.99,
      evidence: { brand: brand.brand, check: "luhn" },
    });
  }
  return found;
}

function inRange(digits: string, prefixLength: number, low: number, high: number): boolean {
  const prefix = Number(digits.slice(0, prefixLength));
  return prefix >= low && prefix <= high;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
