import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js/max";
import type { Detection } from "../../finding.ts";
import { matchesOf } from "../../regex-matches.ts";
import { blankDatesAndTimes } from "./find-dates-and-times.ts";
import { followsReferenceWord } from "./negative-context.ts";

// Where a phone number could be: 7 to 17 digits with the separators people type, not
// glued to letters (the digits inside "1Z12345E0205271688" are a tracking number).
const CANDIDATE = /(?<![\dA-Za-z+])(?:\+|\b00|\()?\d(?:[ \t()./-]{0,3}\d){6,16}(?![\dA-Za-z])/g;
const GROUP = /\+?\d+/g;
// Four or more groups of four digits are a card, IBAN or account block, never a phone.
const BLOCK_OF_FOURS = /(?:^|\s)\d{4}(?:\s\d{4}){3}/;
// Shaped like a US SSN (3-2-4), which some national plans would also accept.
const SSN_SHAPE = /^\d{3}[- ]\d{2}[- ]\d{4}$/;
/**
 * Countries whose numbers, written nationally, always start with the trunk prefix 0
 * (ITU-T E.164 national dialling plans). Without it, "2024-03-15" or "100000000" would
 * pass as German or French numbers of their permissive variable-length plans.
 */
const TRUNK_ZERO = new Set([
  "GB",
  "DE",
  "FR",
  "NL",
  "BE",
  "AT",
  "CH",
  "IE",
  "SE",
  "FI",
  "AU",
  "NZ",
  "JP",
  "KR",
  "ZA",
  "CN",
  "TR",
  "IL",
]);
/** National significant shapes (digits as typed, trunk prefix included) from each plan. */
const NATIONAL_SHAPE: Partial<Record<CountryCode, RegExp>> = {
  US: /^(?:1?[2-9]\d{9})$/,
  CA: /^(?:1?[2-9]\d{9})$/,
  GB: /^0[1-9]\d{8,9}$/,
  FR: /^0[1-9]\d{8}$/,
  ES: /^[6-9]\d{8}$/,
  IT: /^[03]\d{5,10}$/,
  DE: /^0[1-9]\d{3,13}$/,
  // Mobiles are often written without the trunk 0; landlines always carry it with the STD code.
  IN: /^(?:0?[6-9]\d{9}|0[1-9]\d{9})$/,
};
/**
 * libphonenumber validation costs ~20 µs a call; past this many calls in one text the
 * remaining candidates are reported on shape alone (fail safe: redact rather than leak).
 */
const MAX_PARSES = 400;

/**
 * Phone numbers valid for their country (libphonenumber-js with full metadata, so a
 * number must match a real numbering plan, not just a length). International numbers
 * (+ or 00) are found whatever the country; national formats only for `countries`.
 */
export function findPhones(text: string, countries: readonly CountryCode[]): Detection[] {
  const found: Detection[] = [];
  const budget = { parses: MAX_PARSES };
  for (const window of matchesOf(CANDIDATE, blankDatesAndTimes(text))) {
    if (BLOCK_OF_FOURS.test(window[0])) continue;
    const phone = phoneIn(window[0], countries, budget);
    if (!phone) continue;
    const start = window.index + phone.start;
    if (followsReferenceWord(text, start)) continue;
    found.push({ ...phone, start, end: window.index + phone.end });
  }
  return found;
}

/** The window itself, or failing that the window less a group or two at either end. */
function phoneIn(
  window: string,
  countries: readonly CountryCode[],
  budget: { parses: number },
): Detection | undefined {
  const groups = matchesOf(GROUP, window);
  for (let drop = 0; drop <= 2; drop++) {
    for (let head = 0; head <= drop; head++) {
      const first = groups[head];
      const last = groups[groups.length - 1 - (drop - head)];
      if (!first || !last || first.index > last.index) continue;
      const start = head === 0 ? 0 : first.index;
      const typed = window.slice(start, last.index + last[0].length);
      // A "00" inside a digit run is not an international dialling prefix.
      if (head > 0 && /^(?:\+|00)/.test(typed)) continue;
      const phone = validPhone(typed, countries, budget);
      if (phone) return { ...phone, start, end: start + typed.length };
    }
  }
  return undefined;
}

function validPhone(
  typed: string,
  countries: readonly CountryCode[],
  budget: { parses: number },
): Omit<Detection, "start" | "end"> | undefined {
  if (SSN_SHAPE.test(typed)) return undefined;
  const digits = typed.replace(/\D/g, "");
  const international = /^(?:\+|00)/.test(typed);
  const tries = international ? [undefined] : countries.filter((c) => plausible(digits, c));
  for (const country of tries) {
    if (budget.parses-- <= 0)
      return { type: "pii.phone", score: 0.5, evidence: { check: "shape" } };
    const parsed = parsePhoneNumberFromString(
      international ? typed.replace(/^00/, "+") : typed,
      country,
    );
    if (!parsed?.isValid()) continue;
    return {
      type: "pii.phone",
      score: international ? 0.95 : 0.9,
      evidence: { country: parsed.country, format: international ? "international" : "national" },
    };
  }
  return undefined;
}

/** Cheap shape checks that spare most candidates a libphonenumber call (~40 µs each). */
function plausible(digits: string, country: CountryCode): boolean {
  if (digits.length < 7 || digits.length > 15) return false;
  const shape = NATIONAL_SHAPE[country];
  if (shape) return shape.test(digits);
  return !TRUNK_ZERO.has(country) || (digits[0] === "0" && digits[1] !== "0");
}
