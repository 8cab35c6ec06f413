import type { z } from "zod";
import type { Detection, Direction } from "./finding.ts";
import type { FoldedText } from "./fold-text.ts";

/** What a detector may know about the message besides its text. No clock, no I/O. */
export interface DetectContext {
  direction: Direction;
  channel: string;
  /** The first outbound message of a conversation (AI disclosure). */
  firstOutbound: boolean;
  /** The folded matching view of the text, computed once per check on first use. */
  readonly folded: FoldedText;
}

/** A pure function of text + context -> spans. Detectors never decide actions. */
export interface Detector {
  detect(text: string, context: DetectContext): Detection[];
}

/** A detector kind a policy rule can name, with the zod schema of its options. */
export interface DetectorKind<S extends z.ZodType = z.ZodType, N extends string = string> {
  name: N;
  options: S;
  create(options: z.output<S>): Detector;
}

export function defineDetector<S extends z.ZodType, const N extends string>(
  kind: DetectorKind<S, N>,
): DetectorKind<S, N> {
  return kind;
}
