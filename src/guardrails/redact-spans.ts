export interface RedactionSpan {
  start: number;
  end: number;
  /** Finding type; names the placeholder. */
  type: string;
  style: "placeholder" | "mask";
  keepLast: number;
}

/** Past this many distinct values, repeats are not swept (bounds the time on huge texts). */
const MAX_SWEPT_VALUES = 64;
/** Shorter values (a masked word, say) are too likely to stand inside unrelated words. */
const MIN_SWEPT_LENGTH = 6;

/**
 * Replaces each span with a typed placeholder (`[CARD]`) or a mask (`**** 4242`).
 * Overlapping spans merge and take the first span's style, so no part of either
 * survives. A redacted value that also stands elsewhere in the text, where no detector
 * matched it (glued to other digits, say), is replaced there too.
 */
export function redactSpans(text: string, spans: RedactionSpan[]): string {
  const merged = mergeSpans(spans);
  const replaced = new Map<string, string>();
  let out = "";
  let at = 0;
  for (const span of merged) {
    const value = text.slice(span.start, span.end);
    const replacing = replacement(value, span);
    replaced.set(value, replacing);
    out += text.slice(at, span.start) + replacing;
    at = span.end;
  }
  out += text.slice(at);
  if (replaced.size > MAX_SWEPT_VALUES) return out;
  for (const [value, replacing] of replaced) {
    if (value.length >= MIN_SWEPT_LENGTH) out = out.replaceAll(value, replacing);
  }
  return out;
}

export function placeholderFor(type: string): string {
  if (type.startsWith("secret.")) return "[SECRET]";
  const name =
    type.startsWith("pii.") || type.startsWith("topic.") ? type.slice(type.indexOf(".") + 1) : type;
  return `[${name.toUpperCase()}]`;
}

function mergeSpans(spans: RedactionSpan[]): RedactionSpan[] {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const merged: RedactionSpan[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.start < last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

const ALNUM = /[\p{L}\p{N}]/u;

function replacement(original: string, span: RedactionSpan): string {
  if (span.style === "placeholder") return placeholderFor(span.type);
  const chars = [...original];
  const alnum = chars.filter((c) => ALNUM.test(c)).length;
  // Never show so much that the masked value could be read back.
  let keep = alnum > span.keepLast * 2 ? span.keepLast : 0;
  for (let i = chars.length - 1; i >= 0; i--) {
    const c = chars[i]!;
    if (!ALNUM.test(c)) continue;
    if (keep > 0) keep--;
    else chars[i] = "*";
  }
  return chars.join("");
}
