/**
 * How long a provider asks us to wait. `retry-after-ms` first (sent by OpenAI and Azure,
 * and read first by both official SDKs), then `Retry-After`: delay-seconds or an HTTP date
 * (RFC 9110, section 10.2.3).
 */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const ms = headers.get("retry-after-ms")?.trim();
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Number(ms);
  const header = headers.get("retry-after")?.trim();
  if (!header) return undefined;
  if (/^\d+(\.\d+)?$/.test(header)) return Number(header) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
