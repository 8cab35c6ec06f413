/**
 * SMS segment count per 3GPP TS 23.038 (GSM 7-bit default alphabet and extension table)
 * and TS 23.040 concatenation: 160 septets or 70 UCS-2 units in one message, 153 or 67
 * per segment once split (the rest carries the UDH). An escape pair or a surrogate pair
 * is never split across segments, as carriers do.
 */
const GSM_BASIC = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
);
const GSM_EXTENDED = new Set("\f^{}\\[~]|€");

export interface SmsSegments {
  encoding: "GSM-7" | "UCS-2";
  segments: number;
}

export function smsSegments(text: string): SmsSegments {
  const gsm = gsmUnits(text);
  if (gsm) return { encoding: "GSM-7", segments: countSegments(gsm, 160, 153) };
  const units: number[] = [];
  for (const c of text) units.push(c.length);
  return { encoding: "UCS-2", segments: countSegments(units, 70, 67) };
}

/** Septets per character, or undefined when a character is outside GSM-7. */
function gsmUnits(text: string): number[] | undefined {
  const units: number[] = [];
  for (const c of text) {
    if (GSM_BASIC.has(c)) units.push(1);
    else if (GSM_EXTENDED.has(c)) units.push(2);
    else return undefined;
  }
  return units;
}

function countSegments(units: number[], single: number, perSegment: number): number {
  let total = 0;
  for (const u of units) total += u;
  if (total <= single) return 1;
  let segments = 1;
  let used = 0;
  for (const u of units) {
    if (used + u > perSegment) {
      segments++;
      used = 0;
    }
    used += u;
  }
  return segments;
}
