/**
 * One of our own written training examples. Copies of one written example (the same
 * sentence with another opener, closer or filler) share `item`, so they land in the same
 * split and the held-out figures measure phrasings the model has not seen.
 */
export interface OwnExample {
  item: string;
  text: string;
  /** The model's labels that apply; empty for a negative. */
  labels: string[];
}

/** FNV-1a of an item id: each item's own fixed choice of fillers and dress, run after run. */
export function itemHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let k = 0; k < text.length; k++) {
    hash ^= text.charCodeAt(k);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Negatives written as lines with a second wording each: one item per line. */
export function lineExamples(prefix: string, lines: readonly (readonly string[])[]): OwnExample[] {
  return lines.flatMap((wordings, i) =>
    wordings.map((text) => ({ item: `${prefix}-${String(i).padStart(2, "0")}`, text, labels: [] })),
  );
}
