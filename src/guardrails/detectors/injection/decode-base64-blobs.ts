import { matchesOf } from "../../regex-matches.ts";

const BLOB = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{20,4096}={0,2}(?![A-Za-z0-9+/=])/g;
const MAX_BLOBS = 16;

export interface DecodedBlob {
  start: number;
  end: number;
  text: string;
}

/**
 * Base64 runs that decode to mostly printable text: a common way to smuggle an
 * instruction past a keyword filter. At most 16 blobs per message, to bound the time.
 */
export function decodeBase64Blobs(text: string): DecodedBlob[] {
  const blobs: DecodedBlob[] = [];
  for (const m of matchesOf(BLOB, text)) {
    if (blobs.length >= MAX_BLOBS) break;
    if (!/[A-Z]/.test(m[0]) || !/[a-z]/.test(m[0])) continue;
    const decoded = Buffer.from(m[0], "base64").toString("utf8");
    if (printableShare(decoded) < 0.9) continue;
    blobs.push({ start: m.index, end: m.index + m[0].length, text: decoded });
  }
  return blobs;
}

function printableShare(s: string): number {
  if (s.length === 0) return 0;
  let printable = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 32 && c < 127) || c === 10 || c === 13 || c === 9 || (c >= 160 && c !== 0xfffd))
      printable++;
  }
  return printable / s.length;
}
