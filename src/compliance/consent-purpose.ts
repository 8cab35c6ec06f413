import type { Finding } from "../guardrails/index.ts";
import type { ConsentEntry, ConsentPurpose } from "../store/index.ts";

/**
 * A revocation that names promotional messages ("stop sending me offers") takes back
 * marketing consent only; any other (STOP, "please stop texting me") takes back both.
 */
const MARKETING_WORDS =
  /\b(?:offers?|promos?|promotions?|promotional|marketing|deals|discounts|coupons|newsletters?|ads|advertising|advertisements?|publicidad|promociones|ofertas|werbung)\b/i;

/** The rule a consent finding matched, for the evidence: a name, never the text. */
export function consentRule(text: string, finding: Finding): Record<string, string> {
  const matched = text.slice(finding.start, finding.end);
  if (finding.evidence?.["match"] === "keyword") {
    // The whole message is a carrier keyword: keep the list entry it matched.
    return { rule: "keyword", keyword: matched.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "") };
  }
  const marketing = MARKETING_WORDS.test(matched);
  return { rule: "phrase", phrase: marketing ? "marketing_revocation" : "revocation" };
}

/** The purposes an opt-out finding takes back. */
export function revokedPurposes(rule: Record<string, string>): ConsentPurpose[] {
  return rule["phrase"] === "marketing_revocation" ? ["marketing"] : ["service", "marketing"];
}

/**
 * The opt-outs in force that refuse a message of `purpose`. Opting out of service stops
 * every message in its scope, marketing included; opting out of marketing stops marketing.
 */
export function refusingEntries(inForce: ConsentEntry[], purpose: ConsentPurpose): ConsentEntry[] {
  return inForce.filter(
    (e) => e.state === "opted_out" && (e.purpose === "service" || e.purpose === purpose),
  );
}
