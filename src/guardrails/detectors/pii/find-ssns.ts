import type { Detection } from "../../finding.ts";
import { matchesOf } from "../../regex-matches.ts";

const SEPARATED = /(?<![\d-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\d]|-\d)/g;
const BARE = /(?<![\d-])(\d{3})(\d{2})(\d{4})(?![\d])/g;
// A bare nine-digit run is only an SSN when the words before say so.
const SSN_BEFORE = /(?:ssn|social security|social|ss#|ss no|tax id|tin)\b[^.\d]{0,20}$/i;

/**
 * US Social Security numbers, excluding ranges the SSA never issues: area 000, 666 and
 * 900-999, group 00, serial 0000 (SSA Program Operations Manual RM 10201.060), and the
 * two numbers famous from advertising misuse.
 */
export function findSsns(text: string): Detection[] {
  const found: Detection[] = [];
  for (const match of matchesOf(SEPARATED, text)) {
    if (!issuable(match[1]!, match[3]!, match[4]!)) continue;
    found.push(ssnAt(match.index, match[0].length, 0.9));
  }
  for (const match of matchesOf(BARE, text)) {
    const before = text.slice(Math.max(0, match.index - 40), match.index);
    if (!SSN_BEFORE.test(before) || !issuable(match[1]!, match[2]!, match[3]!)) continue;
    found.push(ssnAt(match.index, match[0].length, 0.95));
  }
  return found;
}

function ssnAt(start: number, length: number, score: number): Detection {
  return { type: "pii.ssn", start, end: start + length, score, evidence: { check: "ssa-ranges" } };
}

const NEVER_ISSUED = new Set(["078051120", "219099999"]);

function issuable(area: string, group: string, serial: string): boolean {
  const a = Number(area);
  if (a === 0 || a === 666 || a >= 900) return false;
  if (group === "00" || serial === "0000") return false;
  return !NEVER_ISSUED.has(area + group + serial);
}
