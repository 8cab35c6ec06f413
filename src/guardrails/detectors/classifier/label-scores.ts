/** One label a classifier scored, 0..1. */
export interface LabelScore {
  label: string;
  score: number;
}

/** A model behind the `classifier` detector: text in, every label's score out. */
export type ScoreText = (text: string, signal: AbortSignal) => Promise<LabelScore[]>;
