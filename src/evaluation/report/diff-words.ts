import { diffSequences } from "../../agents/versions/index.ts";

export interface WordChange {
  op: " " | "-" | "+";
  text: string;
}

/**
 * Word-level diff of two replies, runs of the same kind merged: what a reviewer reads to
 * see how the candidate's answer differs from the baseline's.
 */
export function diffWords(before: string, after: string): WordChange[] {
  const words = (text: string) => text.match(/\s+|\S+\s*/g) ?? [];
  const out: WordChange[] = [];
  for (const change of diffSequences(words(before), words(after))) {
    const last = out.at(-1);
    if (last?.op === change.op) last.text += change.text;
    else out.push({ ...change });
  }
  return out;
}
