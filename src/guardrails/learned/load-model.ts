import { readFileSync } from "node:fs";
import { MainstayError } from "../../shared/index.ts";
import { type LinearModel, linearModel, modelFileSchema } from "./linear-model.ts";

const loaded = new Map<string, LinearModel>();

/**
 * A shipped weight file from src/guardrails/models/, read once per process. The weights
 * are part of the package: nothing is downloaded at run time.
 */
export function loadModel(fileName: string): LinearModel {
  let model = loaded.get(fileName);
  if (!model) {
    const url = new URL(`../models/${fileName}`, import.meta.url);
    const parsed = modelFileSchema.safeParse(JSON.parse(readFileSync(url, "utf8")));
    if (!parsed.success) {
      throw new MainstayError(
        "MS_MODEL_INVALID",
        `${fileName} is not a valid model file: ${parsed.error.issues[0]?.message}`,
        500,
      );
    }
    model = linearModel(parsed.data);
    loaded.set(fileName, model);
  }
  return model;
}
