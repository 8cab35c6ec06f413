/**
 * Lexical similarity of two texts, 0..1: the cosine of their word-count vectors, words
 * taken lower-cased with accents and punctuation removed. Cheap, deterministic and
 * explainable; it tells a reworded answer from a different one, not meaning from meaning.
 */
export function lexicalSimilarity(a: string, b: string): number {
  const x = wordCounts(a);
  const y = wordCounts(b);
  if (x.size === 0 && y.size === 0) return 1;
  let dot = 0;
  for (const [word, n] of x) dot += n * (y.get(word) ?? 0);
  const squares = (v: Map<string, number>) => [...v.values()].reduce((s, n) => s + n * n, 0);
  // One square root of integers: a text against itself gives exactly 1.
  const denominator = Math.sqrt(squares(x) * squares(y));
  return denominator === 0 ? 0 : Math.min(1, dot / denominator);
}

function wordCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const words = text
    .toLowerCase()
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .split(/[^\p{L}\p{N}]+/u);
  for (const word of words) if (word) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}
