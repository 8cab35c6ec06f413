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

/** The same n-grams with their kind and [start, end) in the folded text, for evidence. */
export interface NgramSpans extends TextFeatures {
  readonly kinds: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

export function textFeatures(folded: string): TextFeatures {
  return collect(folded, new FeatureBuffer(capacity(folded)));
}

/**
 * Computed again, with spans, only when a score passes a threshold: most texts are never
 * shown as evidence, and three more arrays per n-gram are most of the allocation.
 */
export function ngramSpans(folded: string): NgramSpans {
  return collect(folded, new SpanBuffer(capacity(folded)));
}

// At most three character n-grams per position, one word and one bigram per word.
const capacity = (folded: string) => folded.length * 4 + 8;

class FeatureBuffer {
  count = 0;
  readonly buckets: Int32Array;
  constructor(capacity: number) {
    this.buckets = new Int32Array(capacity);
  }
  push(hash: number, _kind: number, _start: number, _end: number): void {
    this.buckets[this.count++] = hash & MASK;
  }
}

class SpanBuffer extends FeatureBuffer {
  readonly kinds: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  constructor(capacity: number) {
    super(capacity);
    this.kinds = new Uint8Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
  }
  override push(hash: number, kind: number, start: number, end: number): void {
    const i = this.count;
    this.kinds[i] = kind;
    this.starts[i] = start;
    this.ends[i] = end;
    super.push(hash, kind, start, end);
  }
}

function collect<B extends FeatureBuffer>(folded: string, out: B): B {
  const length = folded.length;
  let wordStart = -1;
  let wordHash = 0;
  let previousWord = 0;
  let hasPrevious = false;
  let previousStart = 0;
  for (let i = 0; i <= length; i++) {
    const code = i < length ? folded.charCodeAt(i) : 32;
    // One running hash per start position, finalized at each order: 5 steps for 3 n-grams.
    let h = CHAR_SEED;
    for (let k = i; k < i + MAX_ORDER && k < length; k++) {
      h = Math.imul(h ^ folded.charCodeAt(k), FNV_PRIME);
      const n = k - i + 1;
      if (n >= MIN_ORDER) out.push(Math.imul(h ^ n, FNV_PRIME), NGRAM_CHAR, i, k + 1);
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
  return out;
}

/** Letters and digits of any script; the folded text is already lower case. */
function isWordCode(code: number): boolean {
  if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) return true;
  return code >= 0xc0 && code !== 0x2028 && code !== 0x2029 && !(code >= 0x2000 && code <= 0x206f);
}
