import { electronicFormatIBAN, extractIBAN, isValidIBAN } from "ibantools";
import type { Detection } from "../../finding.ts";

// Country code, check digits, then BBAN in groups of four (printed form) or unbroken.
const CANDIDATE = /(?<![A-Z])[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]{4}){2,7}(?:[ -]?[A-Z0-9]{1,3})?/gi;

/** IBANs with a valid ISO 13616 mod-97 checksum and country-specific length (ibantools). */
export function findIbans(text: string): Detection[] {
  const found: Detection[] = [];
  const candidates = new RegExp(CANDIDATE);
  for (let match = candidates.exec(text); match; match = candidates.exec(text)) {
    const span = validPrefix(match[0]);
    // Resume right after what was used: the rest may start the next IBAN.
    candidates.lastIndex = match.index + (span?.length ?? 1);
    if (span === undefined) continue;
    const iban = electronicFormatIBAN(span)!;
    found.push({
      type: "pii.iban",
      start: match.index,
      end: match.index + span.length,
      score: 0.99,
      evidence: { country: extractIBAN(iban).countryCode, check: "mod97" },
    });
  }
  return found;
}

/** The candidate may have swallowed a following word or number group: drop groups until valid. */
function validPrefix(candidate: string): string | undefined {
  let span = candidate;
  for (let tries = 0; tries < 3 && span.length >= 15; tries++) {
    const iban = electronicFormatIBAN(span.toUpperCase());
    if (iban && isValidIBAN(iban)) return span;
    span = span.replace(/[ -]?[A-Z0-9]{1,4}$/i, "");
  }
  return undefined;
}
