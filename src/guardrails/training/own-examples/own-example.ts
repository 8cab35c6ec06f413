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
