/**
 * How long a server asks us to wait before trying again, in milliseconds; undefined when it
 * does not say or says something we cannot read. `retry-after-ms` first (sent by OpenAI and
 * Azure, and read first by both official SDKs), then `Retry-After` (RFC 9110, section
 * 10.2.3): delay-seconds, with decimals since some servers send them, or an HTTP-date in one
 * of the three forms of section 5.6.7, counted from `now` (the caller's Clock) and never
 * negative.
 */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const ms = headers.get("retry-after-ms")?.trim();
  if (ms && DELAY.test(ms)) return finite(Number(ms));
  const header = headers.get("retry-after")?.trim();
  if (!header) return undefined;
  if (DELAY.test(header)) return finite(Number(header) * 1000);
  // Date.parse alone reads "-5" or "2" as days in 2001; an HTTP-date starts with its day name.
  if (!HTTP_DATE.test(header)) return undefined;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const DELAY = /^\d+(\.\d+)?$/;

/** IMF-fixdate `Sun, 06 Nov 1994`, RFC 850 `Sunday, 06-Nov-94`, asctime `Sun Nov  6`. */
const HTTP_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /;

/** Some 309 digits make Infinity: no wait anyone can honour. */
const finite = (ms: number) => (Number.isFinite(ms) ? ms : undefined);
