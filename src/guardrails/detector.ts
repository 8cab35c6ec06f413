import type { z } from "zod";
import type { Action, Detection, Direction } from "./finding.ts";
import type { FoldedText } from "./fold-text.ts";

/** What a detector may know about the message besides its text. No clock, no I/O. */
export interface DetectContext {
  direction: Direction;
  channel: string;
  /** The first outbound message of a conversation (AI disclosure). */
  firstOutbound: boolean;
  /** The customer's country (ISO 3166-1 alpha-2), when the channel knows it. */
  country?: string;
  /** The folded matching view of the text, computed once per check on first use. */
  readonly folded: FoldedText;
}

/** A pure function of text + context -> spans. Detectors never decide actions. */
export interface Detector {
  detect(text: string, context: DetectContext): Detection[];
}

/** What a model-tier call came to: the model answered, or not within the rule's budget. */
export interface ModelVerdict {
  detections: Detection[];
  /** `skipped`: run by the synchronous `check`, which never waits for a model. */
  outcome: "scored" | "cached" | "timeout" | "error" | "skipped";
  /** Milliseconds the call took; 0 when it was not made. */
  ms: number;
  /** When the model did not answer: the rule's `onTimeout`, which replaces its action. */
  action?: Action;
}

/** A detector that asks a model (local or over HTTP): awaited by `Guard.screen`. */
export interface ModelDetector {
  readonly tier: "model";
  /** Settles within the rule's latency budget, whatever the model does. */
  classify(text: string, context: DetectContext): Promise<ModelVerdict>;
  /** The verdict when the model is not asked (`check`), as if it had not answered in time. */
  skipped(text: string): ModelVerdict;
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** What model-tier detectors may use, given by whoever builds the guard. */
export interface GuardRuntime {
  /** The outbound HTTP path (default: the global `fetch`). */
  fetch?: FetchLike;
  /** The config's declared secrets, which a rule names for an API key. */
  secrets?: Readonly<Record<string, string>>;
  /** Where relative model paths start (default: the working directory). */
  baseDir?: string;
}

/** A detector kind a policy rule can name, with the zod schema of its options. */
export interface DetectorKind<S extends z.ZodType = z.ZodType, N extends string = string> {
  name: N;
  options: S;
  create(options: z.output<S>, runtime: GuardRuntime): Detector | ModelDetector;
}

export function defineDetector<S extends z.ZodType, const N extends string>(
  kind: DetectorKind<S, N>,
): DetectorKind<S, N> {
  return kind;
}
