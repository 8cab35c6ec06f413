import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { MainstayError } from "../../shared/index.ts";
import { OWN_EXAMPLES } from "./own-examples/index.ts";

/**
 * The public labelled data the shipped weights were trained on, read from a folder outside
 * the repository (`--data DIR`, one sub-folder per repository, `owner+name/<path>`, as
 * docs/guardrails-models.md shows how to lay out). Nothing here is committed; each source
 * records its commit and licence so the weights can be traced back.
 */
export interface RawItem {
  source: string;
  /** Items sharing a group (the same source row) land in the same split. */
  group: string;
  text: string;
  /** The source's own label, mapped to model labels by model-specs.ts. */
  tag: string;
}

export interface TrainingSource {
  id: string;
  repo: string;
  commit: string;
  licence: string;
  /** The files `read` needs, as paths in the repository; a path ending in "/" is a folder. */
  files: string[];
  read(dir: string): RawItem[];
}

function file(dir: string, repo: string, path: string): string {
  const full = join(dir, repo.replace("/", "+"), path);
  if (!existsSync(full)) {
    throw new MainstayError(
      "MS_TRAINING_DATA_MISSING",
      `${full} is missing: see docs/guardrails-models.md for how to lay out the training data`,
    );
  }
  return readFileSync(full, "utf8");
}

function csvRows(text: string): Record<string, string>[] {
  return parse(text, { columns: true, skip_empty_lines: true, relax_quotes: true });
}

function items(source: string, texts: string[], tag: string): RawItem[] {
  return texts.map((text, i) => ({ source, group: `${source}:${i}`, text, tag }));
}

export const PUBLIC_SOURCES: TrainingSource[] = [
  {
    id: "giskard",
    repo: "Giskard-AI/prompt-injections",
    commit: "ce50a549dadc46b48c931250d2dd71d5f003c0c2",
    licence: "MIT (prompts from garak, Apache-2.0, and PromptInject, MIT)",
    files: ["prompt_injections.csv"],
    read(dir) {
      const rows = csvRows(file(dir, this.repo, "prompt_injections.csv"));
      return items(
        this.id,
        rows.map((r) => r.prompt ?? ""),
        "injection",
      );
    },
  },
  {
    id: "garak",
    repo: "NVIDIA/garak",
    commit: "cafbe992780df70015de7295ca026b70c4629ada",
    licence: "Apache-2.0",
    files: [
      "garak/data/inthewild_jailbreak_llms.json",
      "garak/data/dan/",
      "garak/data/sysprompt_extraction/attacks.json",
    ],
    read(dir) {
      const wild = JSON.parse(file(dir, this.repo, "garak/data/inthewild_jailbreak_llms.json"));
      const danDir = join(dir, "NVIDIA+garak", "garak/data/dan");
      const dan = readdirSync(danDir)
        .filter((f) => f.endsWith(".json"))
        .sort()
        .flatMap((f) => JSON.parse(file(dir, this.repo, `garak/data/dan/${f}`)) as string[])
        .map((t) => t.replaceAll("{generator.name}", "ChatGPT"));
      const extraction = Object.values(
        JSON.parse(file(dir, this.repo, "garak/data/sysprompt_extraction/attacks.json")),
      ).flat() as string[];
      return items(this.id, [...(wild as string[]), ...dan, ...extraction], "injection");
    },
  },
  {
    id: "langkit",
    repo: "whylabs/langkit",
    commit: "5d6cab1e2ff32181ba5c514aaa2a4473421dc413",
    licence: "Apache-2.0",
    files: ["langkit/themes.json"],
    read(dir) {
      const themes = JSON.parse(file(dir, this.repo, "langkit/themes.json"));
      return items(this.id, themes.jailbreak as string[], "injection");
    },
  },
  {
    id: "bipia-email",
    repo: "microsoft/BIPIA",
    commit: "1a2a91da6bb12838e05d1b2e54d98e2f37b835f3",
    licence: "MIT",
    files: ["benchmark/email/train.jsonl"],
    read(dir) {
      const lines = file(dir, this.repo, "benchmark/email/train.jsonl").split("\n").filter(Boolean);
      const contexts = lines.map((l) => (JSON.parse(l) as { context: string }).context);
      return items(this.id, contexts, "benign");
    },
  },
  {
    id: "clinc",
    repo: "clinc/oos-eval",
    commit: "828f8093932c8fe6ca7936c3d2e52903b1c523de",
    licence: "CC BY-SA 3.0",
    files: ["data/data_full.json"],
    read(dir) {
      const data = JSON.parse(file(dir, this.repo, "data/data_full.json")) as Record<
        string,
        [string, string][]
      >;
      return items(
        this.id,
        Object.values(data).flatMap((rows) => rows.map(([text]) => text)),
        "benign",
      );
    },
  },
  {
    id: "banking77",
    repo: "PolyAI-LDN/task-specific-datasets",
    commit: "57ec275d8078af65b7731c2a98be812d844a6d6b",
    licence: "CC BY 4.0",
    files: ["banking_data/train.csv", "banking_data/test.csv"],
    read(dir) {
      const rows = ["banking_data/train.csv", "banking_data/test.csv"].flatMap((p) =>
        csvRows(file(dir, this.repo, p)),
      );
      return items(
        this.id,
        rows.map((r) => r.text ?? ""),
        "benign",
      );
    },
  },
  {
    id: "davidson",
    repo: "t-davidson/hate-speech-and-offensive-language",
    commit: "cb50f7e9eb855a99abc51423bf40df0e26d6fe30",
    licence: "MIT",
    files: ["data/labeled_data.csv"],
    read(dir) {
      const tags = ["hate", "offensive", "neither"];
      return csvRows(file(dir, this.repo, "data/labeled_data.csv")).map((r, i) => ({
        source: this.id,
        group: `${this.id}:${i}`,
        text: cleanTweet(r.tweet ?? ""),
        tag: tags[Number(r.class)] ?? "neither",
      }));
    },
  },
  {
    id: "toxigen",
    repo: "microsoft/TOXIGEN",
    commit: "01517e814639e0334c920a3c502036c8158aac87",
    licence: "MIT",
    files: ["prompts/"],
    read(dir) {
      const promptDir = join(dir, "microsoft+TOXIGEN", "prompts");
      const seen = new Set<string>();
      const found: RawItem[] = [];
      for (const name of readdirSync(promptDir).sort()) {
        const tag = name.startsWith("hate_") ? "hate" : "neutral";
        for (const line of file(dir, this.repo, `prompts/${name}`).split("\n")) {
          // Each line is a few-shot prompt: sentences joined by a literal "\n-".
          for (const part of line.split("\\n")) {
            const text = part.replace(/^-\s*/, "").trim();
            if (text.length < 8 || seen.has(text)) continue;
            seen.add(text);
            found.push({ source: this.id, group: `${this.id}:${text}`, text, tag });
          }
        }
      }
      return found;
    },
  },
];

/** Our own written examples (src/guardrails/training/own-examples/), tagged by label. */
export function ownItems(model: string): RawItem[] {
  const write = OWN_EXAMPLES[model];
  if (!write) throw new Error(`no own examples for the model "${model}"`);
  const source = `own-${model}`;
  return write().map((e) => ({
    source,
    group: `${source}:${e.item}`,
    text: e.text,
    tag: e.labels.join(","),
  }));
}

/** Retweet markers, handles, links and HTML entities are Twitter's, not the message's. */
function cleanTweet(text: string): string {
  return text
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&#\d+;/g, " ")
    .replace(/\bRT\b:?/g, " ")
    .replace(/@\w+:?/g, " ")
    .replace(/https?:\/\/\S+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}
