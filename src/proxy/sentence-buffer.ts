/**
 * A sentence ends at `.`, `!` or `?` followed by whitespace, or at a line break. The
 * whitespace stays with the sentence, so the released pieces join back to the exact text.
 */
const SENTENCE_END = /[.!?]+\s+|\n+/g;

/**
 * Collects streamed text deltas and releases whole sentences, so each can be screened with
 * its context before the client sees any of it. Text with no sentence end is held until
 * `flush`: a card number is never released half at a time.
 */
export class SentenceBuffer {
  private pending = "";

  /** Add a delta; returns the sentences it completed, oldest first. */
  push(delta: string): string[] {
    this.pending += delta;
    const sentences: string[] = [];
    let start = 0;
    for (const match of this.pending.matchAll(SENTENCE_END)) {
      const end = match.index + match[0].length;
      // Whitespace at the very end may continue in the next delta; keep it until it ends.
      if (end === this.pending.length) break;
      sentences.push(this.pending.slice(start, end));
      start = end;
    }
    this.pending = this.pending.slice(start);
    return sentences;
  }

  /** Everything still held, released at the end of the stream. */
  flush(): string {
    const rest = this.pending;
    this.pending = "";
    return rest;
  }
}
