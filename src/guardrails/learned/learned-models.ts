import type { HeldOutMetrics } from "./linear-model.ts";
import { loadModel } from "./load-model.ts";

/** The shipped weight files, one per learned detector. */
export const LEARNED_MODEL_FILES = ["injection.v2.json", "abuse.v2.json", "commitment.v2.json"];

export interface LearnedModelCard {
  model: string;
  thresholds: Record<string, number>;
  heldOut: Record<string, HeldOutMetrics>;
}

/** What each shipped model scored on its held-out split when it was trained. */
export function learnedModelCards(): LearnedModelCard[] {
  return LEARNED_MODEL_FILES.map((file) => {
    const { name, version, thresholds, heldOut } = loadModel(file).file;
    return { model: `${name}.v${version}`, thresholds, heldOut };
  });
}
