/** Tool output goes into the model's context on every later round: keep it bounded. */
export const DEFAULT_MAX_RESULT_BYTES = 4000;

/**
 * Cuts `text` to at most `maxBytes` UTF-8 bytes, marker included (only a limit smaller than
 * the marker itself is exceeded), never inside a character, so the model can tell the
 * result is incomplete.
 */
export function truncateResult(text: string, maxBytes: number): string {
  const encoder = new TextEncoder();
  if (encoder.encode(text).length <= maxBytes) return text;
  const marker = `\n[truncated to ${maxBytes} bytes]`;
  // encodeInto stops before a character that does not fit whole; the marker is ASCII.
  const { read } = encoder.encodeInto(text, new Uint8Array(Math.max(0, maxBytes - marker.length)));
  return text.slice(0, read) + marker;
}
