import type { Detection } from "../../finding.ts";

const LOCAL = /[A-Za-z0-9._%+'-]/;
const DOMAIN = /[A-Za-z0-9.-]/;
// Longest valid domain at the start: "example.com2001:db8" still yields "example.com".
const DOMAIN_PREFIX =
  /^[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![A-Za-z])/;

/**
 * Anchored on each "@" and grown outwards, so the cost is linear in the text (a regex
 * with an unanchored local part is quadratic on long runs of letters).
 */
export function findEmails(text: string): Detection[] {
  const found: Detection[] = [];
  let at = text.indexOf("@");
  while (at !== -1) {
    let start = at;
    while (start > 0 && at - start < 64 && LOCAL.test(text[start - 1]!)) start--;
    let end = at + 1;
    while (end < text.length && end - at < 254 && DOMAIN.test(text[end]!)) end++;
    while (start < at && text[start] === ".") start++;
    const domain = DOMAIN_PREFIX.exec(text.slice(at + 1, end))?.[0];
    if (start < at && domain) {
      end = at + 1 + domain.length;
      found.push({ type: "pii.email", start, end, score: 0.99 });
    }
    at = text.indexOf("@", Math.max(end, at + 1));
  }
  return found;
}
