import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { MainstayError } from "../../../shared/errors.ts";
import type { LabelScore, ScoreText } from "./label-scores.ts";

/** The parts of a Hugging Face `config.json` a sequence classifier needs. */
const modelConfig = z.object({
  id2label: z.record(z.string().regex(/^\d+$/), z.string()),
  problem_type: z.string().optional(),
});

/**
 * A sequence classifier exported to ONNX (Optimum's layout): `model.onnx`, `tokenizer.json`
 * (+ `tokenizer_config.json`) and `config.json` with `id2label`, all read from `folder`;
 * nothing is fetched. Texts longer than `maxTokens` are scored on their first `maxTokens`.
 */
export async function loadOnnxScores(folder: string, maxTokens: number): Promise<ScoreText> {
  const [ort, { Tokenizer }] = await Promise.all([
    importOnnxRuntime(),
    import("@huggingface/tokenizers"),
  ]);
  const config = modelConfig.safeParse(await readJson(folder, "config.json"));
  if (!config.success) {
    throw new MainstayError("MS_POLICY_INVALID", `${folder}/config.json: no "id2label"`);
  }
  const labels = Object.entries(config.data.id2label).map(([id, label]) => ({ id: +id, label }));
  const tokenizer = new Tokenizer(
    await readJson(folder, "tokenizer.json"),
    (await readJson(folder, "tokenizer_config.json", {})) as object,
  );
  const session = await ort.InferenceSession.create(join(folder, "model.onnx"));
  const multiLabel = config.data.problem_type === "multi_label_classification";
  return async (text) => {
    const ids = truncated(tokenizer.encode(text).ids, maxTokens);
    const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {};
    const tensor = (fill: (i: number) => number) =>
      new ort.Tensor(
        "int64",
        BigInt64Array.from(ids, (_, i) => BigInt(fill(i))),
        [1, ids.length],
      );
    for (const name of session.inputNames) {
      if (name === "input_ids") feeds[name] = tensor((i) => ids[i]!);
      else if (name === "attention_mask") feeds[name] = tensor(() => 1);
      else if (name === "token_type_ids") feeds[name] = tensor(() => 0);
    }
    const output = await session.run(feeds);
    const logits = Array.from(output[session.outputNames[0]!]!.data as Float32Array);
    return scoresOf(labels, multiLabel ? logits.map(sigmoid) : softmax(logits));
  };
}

async function importOnnxRuntime() {
  try {
    return await import("onnxruntime-node");
  } catch (e) {
    throw new MainstayError(
      "MS_CLASSIFIER_UNAVAILABLE",
      `an onnx classifier needs the optional dependency onnxruntime-node (${(e as Error).message})`,
    );
  }
}

async function readJson(folder: string, file: string, absent?: unknown): Promise<unknown> {
  try {
    return JSON.parse(await readFile(join(folder, file), "utf8"));
  } catch (e) {
    if (absent !== undefined && (e as NodeJS.ErrnoException).code === "ENOENT") return absent;
    throw new MainstayError("MS_POLICY_INVALID", `${join(folder, file)}: ${(e as Error).message}`);
  }
}

/** The first `max` tokens, keeping the closing special token (`[SEP]`, `</s>`) last. */
function truncated(ids: number[], max: number): number[] {
  return ids.length <= max ? ids : [...ids.slice(0, max - 1), ids[ids.length - 1]!];
}

function scoresOf(labels: { id: number; label: string }[], scores: number[]): LabelScore[] {
  return labels.map(({ id, label }) => ({ label, score: scores[id] ?? 0 }));
}

function softmax(logits: number[]): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((l) => Math.exp(l - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

function sigmoid(logit: number): number {
  return 1 / (1 + Math.exp(-logit));
}
