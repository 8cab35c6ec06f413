import type { RawItem } from "./training-sources.ts";

/** Per label: 1 positive, 0 negative; a label left out is unknown and not trained on. */
export type Targets = Record<string, 0 | 1>;

export interface ModelSpec {
  name: string;
  version: number;
  labels: string[];
  /** Which own examples (src/guardrails/training/own-examples/) belong to this model. */
  own: string;
  /** At most this many items per source, sampled with the seed (keeps sources balanced). */
  caps: Record<string, number>;
  /** Maps a source item to targets; undefined leaves the item out of this model. */
  targets(item: RawItem): Targets | undefined;
  /**
   * The decision threshold is the calibrated score with the best F1 on the calibration
   * split, but never below this floor (the floor keeps false positives rare on
   * look-alikes the calibration split has few of).
   */
  thresholdFloor: number;
  /**
   * Per label, the largest share of one source's negatives (our hard look-alikes) the
   * threshold may flag on the calibration split.
   */
  flagCap?: Record<string, { source: string; share: number }>;
}

function ownTargets(labels: string[], item: RawItem): Targets {
  const tags = new Set(item.tag.split(",").filter(Boolean));
  return Object.fromEntries(labels.map((l) => [l, tags.has(l) ? 1 : 0]));
}

const INJECTION: ModelSpec = {
  name: "injection",
  version: 2,
  labels: ["injection"],
  own: "injection",
  caps: { clinc: 8000, banking77: 4000, toxigen: 3000, davidson: 2000, "own-abuse": 400 },
  thresholdFloor: 0.5,
  // Customers who cancel, stop, ignore and "act as" must pass: at most 5% of ours flagged.
  flagCap: { injection: { source: "own-injection", share: 0.05 } },
  targets(item) {
    if (item.source === "own-injection") return ownTargets(this.labels, item);
    if (item.tag === "injection") return { injection: 1 };
    return { injection: 0 };
  },
};

const ABUSE_LABELS = ["profanity", "hate", "threat", "self_harm"];

const ABUSE: ModelSpec = {
  name: "abuse",
  version: 2,
  labels: ABUSE_LABELS,
  own: "abuse",
  caps: { clinc: 4000, banking77: 2000, "own-injection": 300 },
  thresholdFloor: 0.5,
  targets(item) {
    switch (item.source) {
      case "own-abuse":
        return ownTargets(this.labels, item);
      // Davidson et al. label whole tweets: a hateful tweet may or may not swear, so its
      // profanity target is unknown. "Offensive" tweets are profane, but annotators split
      // hate from offence unevenly (slurs sit on both sides), so they say nothing about
      // hate: taught as "not hate" they halved hate recall on our own held-out examples.
      case "davidson":
        if (item.tag === "hate") return { hate: 1, self_harm: 0 };
        if (item.tag === "offensive") return { profanity: 1, self_harm: 0 };
        return { profanity: 0, hate: 0, threat: 0, self_harm: 0 };
      // ToxiGen's statements are implicit: hateful ones rarely swear or threaten.
      case "toxigen":
        if (item.tag === "hate") return { hate: 1, profanity: 0, self_harm: 0 };
        return { profanity: 0, hate: 0, threat: 0, self_harm: 0 };
      case "clinc":
      case "banking77":
      case "own-injection":
      case "own-commitment":
        return { profanity: 0, hate: 0, threat: 0, self_harm: 0 };
      default:
        return undefined;
    }
  },
};

const COMMITMENT: ModelSpec = {
  name: "commitment",
  version: 2,
  labels: ["commitment"],
  own: "commitment",
  caps: { clinc: 4000, banking77: 3000, toxigen: 2000, "own-injection": 200 },
  thresholdFloor: 0.5,
  // Replies that mention refunds without promising one, and referrals, must pass.
  flagCap: { commitment: { source: "own-commitment", share: 0.05 } },
  targets(item) {
    if (item.source === "own-commitment") return ownTargets(this.labels, item);
    if (["clinc", "banking77", "toxigen", "own-injection"].includes(item.source))
      return { commitment: 0 };
    return undefined;
  },
};

export const MODEL_SPECS: ModelSpec[] = [INJECTION, ABUSE, COMMITMENT];
