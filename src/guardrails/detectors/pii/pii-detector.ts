import type { CountryCode } from "libphonenumber-js/max";
import { isSupportedCountry } from "libphonenumber-js/max";
import { z } from "zod";
import { defineDetector } from "../../detector.ts";
import { dropOverlaps } from "../../drop-overlaps.ts";
import type { Detection } from "../../finding.ts";
import { matchesOf } from "../../regex-matches.ts";
import { findCards } from "./find-cards.ts";
import { findEmails } from "./find-emails.ts";
import { findIbans } from "./find-ibans.ts";
import { findIps } from "./find-ips.ts";
import { findPhones } from "./find-phones.ts";
import { findSsns } from "./find-ssns.ts";

const PII_KINDS = ["email", "phone", "card", "iban", "ssn", "ip"] as const;

/** Earlier kinds win where spans overlap: a card number is not also a phone number. */
const FINDERS: Record<
  (typeof PII_KINDS)[number],
  (text: string, countries: CountryCode[]) => Detection[]
> = {
  card: findCards,
  iban: findIbans,
  ssn: findSsns,
  email: findEmails,
  ip: findIps,
  phone: findPhones,
};

const customPattern = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, "lowercase letters, digits and _"),
  pattern: z.string().refine(isValidRegex, "not a valid JavaScript regular expression"),
  flags: z
    .string()
    .regex(/^[imsu]*$/, "only the flags i, m, s, u")
    .default("i"),
});

export const piiDetector = defineDetector({
  name: "pii",
  options: z
    .object({
      kinds: z.array(z.enum(PII_KINDS)).default([...PII_KINDS]),
      countries: z
        .array(
          z.string().refine(isSupportedCountry, "not an ISO 3166 country libphonenumber knows"),
        )
        .min(1)
        .default(["US"])
        .describe(
          "Countries whose NATIONAL phone formats are recognised, after the customer's own (`context.country`); international (+ or 00) always are.",
        ),
      custom: z
        .array(customPattern)
        .default([])
        .describe("Extra patterns; each match is a `pii.<name>` finding."),
      allow: z
        .array(z.string().min(1))
        .default([])
        .describe(
          "Values that are never PII, such as your own support number or address: compared ignoring case, spaces and punctuation.",
        ),
    })
    .strict(),
  create(options) {
    const countries = options.countries as CountryCode[];
    const finders = Object.entries(FINDERS).filter(([kind]) =>
      options.kinds.includes(kind as (typeof PII_KINDS)[number]),
    );
    const custom = options.custom.map((c) => ({
      type: `pii.${c.name}`,
      regex: new RegExp(c.pattern, `${c.flags}g`),
    }));
    const allowed = new Set(options.allow.map(comparable));
    return {
      detect(text, context) {
        const found: Detection[] = [];
        const tried = customerFirst(context.country, countries);
        for (const [, find] of finders) for (const d of find(text, tried)) found.push(d);
        for (const { type, regex } of custom) {
          for (const m of matchesOf(regex, text)) {
            if (m[0].length > 0)
              found.push({ type, start: m.index, end: m.index + m[0].length, score: 0.9 });
          }
        }
        const kept =
          allowed.size === 0
            ? found
            : found.filter((d) => !allowed.has(comparable(text.slice(d.start, d.end))));
        return dropOverlaps(kept);
      },
    };
  },
});

/** The customer's country, when libphonenumber knows it, before the policy's list. */
function customerFirst(country: string | undefined, countries: CountryCode[]): CountryCode[] {
  if (country === undefined || !isSupportedCountry(country)) return countries;
  return [country, ...countries.filter((c) => c !== country)];
}

/** "1-800-555-0142" and "(800) 555 0142"-style spellings compare equal; so do cases. */
function comparable(value: string): string {
  return value.toLowerCase().replace(/[^\p{L}\p{N}@.]/gu, "");
}

function isValidRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}
