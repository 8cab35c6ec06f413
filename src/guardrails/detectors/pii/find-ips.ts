import { isIPv6 } from "node:net";
import type { Detection } from "../../finding.ts";
import { matchesOf } from "../../regex-matches.ts";

const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4 = new RegExp(`(?<![\\w.])${OCTET}(?:\\.${OCTET}){3}(?![\\w]|\\.\\d)`, "g");
const IPV6_CANDIDATE = /(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![\w:])/gi;
// "version 1.2.3.4", "v2.0.1.3" and "section 3.2.1.4" are not addresses.
const VERSION_BEFORE =
  /\b(?:version|ver\.?|v|build|release|firmware|section|chapter|clause|article|§)\s*$/i;

export function findIps(text: string): Detection[] {
  const found: Detection[] = [];
  for (const match of matchesOf(IPV4, text)) {
    if (VERSION_BEFORE.test(text.slice(Math.max(0, match.index - 12), match.index))) continue;
    found.push(ipAt(match.index, match[0].length, 4));
  }
  for (const match of matchesOf(IPV6_CANDIDATE, text)) {
    // Clock times ("10:30:00") are not IPv6; a real address has 8 groups or a "::".
    if (!isIPv6(match[0]) || !/[0-9a-f]/i.test(match[0])) continue;
    found.push(ipAt(match.index, match[0].length, 6));
  }
  return found;
}

function ipAt(start: number, length: number, version: 4 | 6): Detection {
  return { type: "pii.ip", start, end: start + length, score: 0.9, evidence: { version } };
}
