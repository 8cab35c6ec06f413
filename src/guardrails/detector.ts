import type { z } from "zod";
import type { ChannelTraits, ChannelTraitsOf } from "../shared/channel-traits.ts";
import type { Action, Detection, Direction } from "./finding.ts";
import type { FoldedText } from "./fold-text.ts";

/** What a detector may know about the message besides its text. No clock, no I/O. */
export interface DetectContext {
  direction: Direction;
  channel: string;
  /** What the channel type is like (`GuardRuntime.channelTraits`); detectors ask it, not the name. */
  traits?: ChannelTraits;
  /** The first outbound message of a conversation (AI disclosure). */
  firstOutbound: boolean;
  /** The customer's country (ISO 3166-1 alpha-2), when the channel knows it. */
  country?: string;
  /** The folded matching view of the text, computed once per check on first use. */
  readonly folded: FoldedText;
  /**
   * Work several rules of one check need (a model's n-grams and scores), done by the first
   * rule that asks and shared with the others: `key` names the work, such as the function
   * or model doing it.
   */
  memo<T>(key: object, compute: () => T): T;
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

/** What detectors may use, given by whoever builds the guard. */
export interface GuardRuntime {
  /** The outbound HTTP path (default: the global `fetch`). */
  fetch?: FetchLike;
  /** The config's declared secrets, which a rule names for an API key. */
  secrets?: Readonly<Record<string, string>>;
  /** Where relative model paths start (default: the working directory). */
  baseDir?: string;
  /** The traits of a message's channel type; without it no channel has any. */
  channelTraits?: ChannelTraitsOf;
}

/**
 * A detector a policy rule can name (`detector: <name>`): the zod schema of its `options`
 * and how to build it. One per file or folder under detectors/, listed once in the registry
 * (detectors/index.ts), from which the policy schema is derived.
 */
export interface DetectorDefinition<S extends z.ZodType = z.ZodType, N extends string = string> {
  name: N;
  options: S;
  create(options: z.output<S>, runtime: GuardRuntime): Detector | ModelDetector;
}

export function defineDetector<S extends z.ZodType, const N extends string>(
  definition: DetectorDefinition<S, N>,
): DetectorDefinition<S, N> {
  return definition;
}
