/**
 * Hashed n-gram features of a folded text, shared by every learned model: word unigrams
 * and bigrams plus character 3-5-grams, each hashed into 2^BITS buckets (the hashing trick,
 * Weinberger et al. 2009), so no vocabulary ships with the weights. One pass over the text,
 * no substring allocation: the cost is linear in its length.
 */
export const FEATURE_BITS = 18;
const MASK = (1 << FEATURE_BITS) - 1;
const FNV_PRIME = 16777619;
const FNV_OFFSET = 2166136261;
const MIN_ORDER = 3;
const MAX_ORDER = 5;
// Distinct seeds keep a word "the" and the character trigram "the" in different buckets.
const WORD_SEED = 0x9e3779b1;
const BIGRAM_SEED = 0x85ebca6b;
const CHAR_SEED = 0xc2b2ae35;

/** What an n-gram is; only word n-grams are shown as the phrases behind a score. */
export const NGRAM_CHAR = 0;
export const NGRAM_WORD = 1;
export const NGRAM_BIGRAM = 2;

/** The bucket of every n-gram of a text, in text order: all that scoring reads. */
export interface TextFeatures {
  readonly count: number;
  readonly buckets: Int32Array;
}

/**
 * N-grams [first, first + count) of a text with their kind and [start, end) in the folded
 * text, for evidence: index i of the text's n-grams is entry i - first of these arrays.
 */
export interface NgramSpans extends TextFeatures {
  readonly first: number;
  readonly kinds: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

export function textFeatures(folded: string): TextFeatures {
  return collect(folded, new NgramBuffer(0, capacity(folded), false));
}

/**
 * The spans of n-grams [from, to) only, computed when a score passes a threshold (most
 * texts are never shown as evidence): n-grams before `from` are counted, not hashed or
 * stored, and the walk stops at `to`, so the evidence of one window of a long email costs
 * a fraction of its features.
 */
export function ngramSpans(folded: string, from = 0, to = capacity(folded)): NgramSpans {
  return collect(folded, new NgramBuffer(from, Math.min(to, capacity(folded)), true));
}

// At most three character n-grams per position, one word and one bigram per word.
const capacity = (folded: string) => folded.length * 4 + 8;

/**
 * N-grams [first, end) of a text, counted from its start. One class for both uses, so the
 * hot loop sees one shape; spans are kept only when asked for.
 */
class NgramBuffer implements NgramSpans {
  /** Index of the next n-gram of the text. */
  index = 0;
  count = 0;
  readonly buckets: Int32Array;
  readonly kinds: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  constructor(
    readonly first: number,
    readonly end: number,
    withSpans: boolean,
  ) {
    const size = Math.max(0, end - first);
    this.buckets = new Int32Array(size);
    this.kinds = new Uint8Array(withSpans ? size : 0);
    this.starts = new Int32Array(withSpans ? size : 0);
    this.ends = new Int32Array(withSpans ? size : 0);
  }
  push(hash: number, kind: number, start: number, end: number): void {
    const i = this.index++ - this.first;
    if (i < 0 || i >= this.buckets.length) return;
    this.buckets[i] = hash & MASK;
    if (this.kinds.length === 0) return;
    this.kinds[i] = kind;
    this.starts[i] = start;
    this.ends[i] = end;
  }
}

function collect(folded: string, out: NgramBuffer): NgramBuffer {
  const length = folded.length;
  let wordStart = -1;
  let wordHash = 0;
  let previousWord = 0;
  let hasPrevious = false;
  let previousStart = 0;
  for (let i = 0; i <= length && out.index < out.end; i++) {
    const code = i < length ? folded.charCodeAt(i) : 32;
    if (out.index + MAX_ORDER - MIN_ORDER < out.first) {
      // Before the wanted n-grams: only how many character n-grams start here matters.
      out.index += Math.max(0, Math.min(MAX_ORDER - MIN_ORDER + 1, length - i - MIN_ORDER + 1));
    } else {
      // One running hash per start position, finalized at each order: 5 steps for 3 n-grams.
      let h = CHAR_SEED;
      for (let k = i; k < i + MAX_ORDER && k < length; k++) {
        h = Math.imul(h ^ folded.charCodeAt(k), FNV_PRIME);
        const n = k - i + 1;
        if (n >= MIN_ORDER) out.push(Math.imul(h ^ n, FNV_PRIME), NGRAM_CHAR, i, k + 1);
      }
    }
    if (isWordCode(code)) {
      if (wordStart < 0) {
        wordStart = i;
        wordHash = FNV_OFFSET;
      }
      wordHash = Math.imul(wordHash ^ code, FNV_PRIME);
      continue;
    }
    if (wordStart < 0) continue;
    out.push(Math.imul(wordHash ^ WORD_SEED, FNV_PRIME), NGRAM_WORD, wordStart, i);
    if (hasPrevious) {
      const bigram = Math.imul(
        Math.imul(previousWord ^ BIGRAM_SEED, FNV_PRIME) ^ wordHash,
        FNV_PRIME,
      );
      out.push(bigram, NGRAM_BIGRAM, previousStart, i);
    }
    previousWord = wordHash;
    previousStart = wordStart;
    hasPrevious = true;
    wordStart = -1;
  }
  out.count = Math.max(0, Math.min(out.index, out.end) - out.first);
  return out;
}

/** Letters and digits of any script; the folded text is already lower case. */
function isWordCode(code: number): boolean {
  if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) return true;
  return code >= 0xc0 && code !== 0x2028 && code !== 0x2029 && !(code >= 0x2000 && code <= 0x206f);
}
