import { parsePhoneNumberFromString } from "libphonenumber-js/max";

/**
 * Time zone per calling region, for contacts whose own zone is unknown. Countries spanning
 * several zones use their most populous one: a known limit, documented in docs/compliance.md.
 */
const ZONE_BY_COUNTRY: Record<string, string> = {
  US: "America/New_York",
  CA: "America/Toronto",
  MX: "America/Mexico_City",
  BR: "America/Sao_Paulo",
  AR: "America/Argentina/Buenos_Aires",
  CO: "America/Bogota",
  CL: "America/Santiago",
  PE: "America/Lima",
  GB: "Europe/London",
  IE: "Europe/Dublin",
  FR: "Europe/Paris",
  DE: "Europe/Berlin",
  ES: "Europe/Madrid",
  IT: "Europe/Rome",
  NL: "Europe/Amsterdam",
  BE: "Europe/Brussels",
  CH: "Europe/Zurich",
  AT: "Europe/Vienna",
  PT: "Europe/Lisbon",
  SE: "Europe/Stockholm",
  NO: "Europe/Oslo",
  DK: "Europe/Copenhagen",
  FI: "Europe/Helsinki",
  PL: "Europe/Warsaw",
  TR: "Europe/Istanbul",
  ZA: "Africa/Johannesburg",
  NG: "Africa/Lagos",
  KE: "Africa/Nairobi",
  EG: "Africa/Cairo",
  AE: "Asia/Dubai",
  SA: "Asia/Riyadh",
  IN: "Asia/Kolkata",
  SG: "Asia/Singapore",
  MY: "Asia/Kuala_Lumpur",
  ID: "Asia/Jakarta",
  PH: "Asia/Manila",
  TH: "Asia/Bangkok",
  VN: "Asia/Ho_Chi_Minh",
  CN: "Asia/Shanghai",
  HK: "Asia/Hong_Kong",
  JP: "Asia/Tokyo",
  KR: "Asia/Seoul",
  AU: "Australia/Sydney",
  NZ: "Pacific/Auckland",
};

/** The contact's zone guessed from a phone number's region, or undefined. */
export function zoneForAddress(address: string): string | undefined {
  const digits = address.startsWith("+") ? address : `+${address}`;
  const country = parsePhoneNumberFromString(digits)?.country;
  return country ? ZONE_BY_COUNTRY[country] : undefined;
}

const toMinutes = (hhmm: string) => {
  const [h, m] = hhmm.split(":").map(Number);
  return h! * 60 + m!;
};

function localMinutes(now: number, zone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(now));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return get("hour") * 60 + get("minute");
}

/**
 * When quiet hours (`start` to `end`, local "HH:MM", may wrap midnight) hold at `now` in
 * `zone`, the time they end; otherwise undefined. A DST change inside the quiet span can
 * shift the end by its hour.
 */
export function quietUntil(
  now: number,
  zone: string,
  window: { start: string; end: string },
): number | undefined {
  const start = toMinutes(window.start);
  const end = toMinutes(window.end);
  const local = localMinutes(now, zone);
  const quiet = start <= end ? local >= start && local < end : local >= start || local < end;
  if (!quiet) return undefined;
  const minutesLeft = (end - local + 1440) % 1440;
  const secondsIntoMinute = Math.floor(now / 1000) % 60;
  return now + minutesLeft * 60_000 - secondsIntoMinute * 1000;
}
