/**
 * `npm run train:guard -- --data DIR [--out DIR] [--only injection,abuse]`: reproduces the
 * shipped weights in src/guardrails/models/ from the public sources in DIR plus our own
 * examples, with a fixed seed, and prints precision/recall per label on the held-out split.
 * Not imported by the server: only this script and its tests read the training code.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { SingleBar } from "cli-progress";
import { seededRandom } from "../../shared/index.ts";
import { foldText } from "../fold-text.ts";
import { linearModel, type ModelFile, WINDOW_NGRAMS } from "../learned/linear-model.ts";
import { FEATURE_BITS, textFeatures } from "../learned/text-features.ts";
import { bestThreshold, fitPlatt, metricsAt } from "./calibrate.ts";
import { encodeWeights } from "./encode-model.ts";
import { fitLogistic, type SparseExample } from "./fit-logistic.ts";
import { MODEL_SPECS, type ModelSpec, type Targets } from "./model-specs.ts";
import { ownItems, PUBLIC_SOURCES, type RawItem } from "./training-sources.ts";

const SEED = 20240515;
const EPOCHS = 6;
/** Our own examples are few and aimed at the gaps; they count this much more. */
const OWN_WEIGHT = 2;

type Split = "train" | "calibration" | "test";

interface Labelled {
  item: RawItem;
  targets: Targets;
  split: Split;
}

const { values: args } = parseArgs({
  options: {
    data: { type: "string" },
    out: { type: "string", default: new URL("../models/", import.meta.url).pathname },
    only: { type: "string" },
  },
});
if (!args.data) {
  process.stderr.write("usage: npm run train:guard -- --data DIR [--out DIR] [--only NAMES]\n");
  process.exit(2);
}

const publicItems = PUBLIC_SOURCES.flatMap((s) => s.read(args.data!));
const allItems = [...publicItems, ...MODEL_SPECS.flatMap((spec) => ownItems(spec.own))];
const only = args.only?.split(",");
const report: Record<string, unknown> = {};
for (const spec of MODEL_SPECS) {
  if (only && !only.includes(spec.name)) continue;
  const file = train(spec, allItems);
  mkdirSync(args.out!, { recursive: true });
  const path = join(args.out!, `${spec.name}.v${spec.version}.json`);
  writeFileSync(path, `${JSON.stringify(file)}\n`);
  // The repository's formatter owns the layout of committed JSON: format it the same way.
  execFileSync("npx", ["biome", "format", "--write", "--no-errors-on-unmatched", path], {
    stdio: "ignore",
  });
  report[spec.name] = { file: path, thresholds: file.thresholds, heldOut: file.heldOut };
  printTable(spec, file);
}

function train(spec: ModelSpec, items: RawItem[]): ModelFile {
  const labelled = select(spec, items);
  const bySplit = (split: Split) => labelled.filter((l) => l.split === split);
  const train = bySplit("train");
  const examples = train.map((l) => toExample(spec, l, classWeights(spec, train)));
  const bar = new SingleBar({
    format: `${spec.name.padEnd(10)} [{bar}] {percentage}% | {value}/{total} examples x epochs`,
    stream: process.stderr,
  });
  bar.start(examples.length * EPOCHS, 0);
  let steps = 0;
  const fitted = fitLogistic(examples, {
    labels: spec.labels.length,
    epochs: EPOCHS,
    random: seededRandom(SEED),
    onStep() {
      if (++steps % 500 === 0) bar.update(steps);
    },
  });
  bar.update(steps);
  bar.stop();
  const draft: ModelFile = {
    format: "mainstay-linear-v1",
    name: spec.name,
    version: spec.version,
    featureBits: FEATURE_BITS,
    labels: spec.labels,
    bias: [...fitted.bias].map((b) => Math.round(b * 1e6) / 1e6),
    calibration: spec.labels.map(() => ({ a: 1, b: 0 })),
    thresholds: {},
    weights: encodeWeights(fitted, spec.labels.length),
    heldOut: {},
    training: {},
  };
  // Calibrate and measure through the runtime's own scoring, quantized weights and all.
  const runtime = linearModel(draft);
  const scoreAll = (rows: Labelled[]) =>
    rows.map((l) => ({ l, scores: runtime.score(textFeatures(foldText(l.item.text).text)) }));
  const calibration = scoreAll(bySplit("calibration"));
  const test = scoreAll(bySplit("test"));
  const file: ModelFile = { ...draft };
  file.calibration = spec.labels.map((label, i) =>
    roundedPlatt(
      fitPlatt(
        known(calibration, label).map(({ l, scores }) => ({
          logit: scores[i]!.logit,
          target: l.targets[label]!,
        })),
      ),
    ),
  );
  const calibrated = (rows: typeof test, label: string, i: number) => {
    const { a, b } = file.calibration[i]!;
    return known(rows, label).map(({ l, scores }) => ({
      l,
      score: 1 / (1 + Math.exp(-(a * scores[i]!.logit + b))),
      target: l.targets[label]!,
    }));
  };
  spec.labels.forEach((label, i) => {
    const rows = calibrated(calibration, label, i);
    const cap = spec.flagCap?.[label];
    const threshold = bestThreshold(
      rows,
      spec.thresholdFloor,
      cap && { rows: rows.filter((r) => r.l.item.source === cap.source), share: cap.share },
    );
    file.thresholds[label] = threshold;
    file.heldOut[label] = metricsAt(calibrated(test, label, i), threshold);
  });
  file.training = {
    seed: SEED,
    epochs: EPOCHS,
    windowNgrams: WINDOW_NGRAMS,
    split: { train: train.length, calibration: calibration.length, test: test.length },
    sources: sourceSummary(labelled),
    heldOutBySource: bySourceFlagRates(spec, file, test, calibrated),
  };
  return file;
}

function select(spec: ModelSpec, items: RawItem[]): Labelled[] {
  const seen = new Set<string>();
  const perSource = new Map<string, Labelled[]>();
  for (const item of items) {
    const key = foldText(item.text).text.trim();
    if (key.length === 0 || seen.has(key)) continue;
    seen.add(key);
    const targets = spec.targets(item);
    if (!targets) continue;
    const rows = perSource.get(item.source) ?? [];
    rows.push({ item, targets, split: splitOf(item.group) });
    perSource.set(item.source, rows);
  }
  const random = seededRandom(SEED);
  return [...perSource.entries()].flatMap(([source, rows]) => {
    const cap = spec.caps[source];
    if (cap === undefined || rows.length <= cap) return rows;
    return sample(rows, cap, random);
  });
}

/** Split by source item with a fixed seed: 70% train, 15% calibration, 15% test. */
function splitOf(group: string): Split {
  let h = 2166136261 ^ SEED;
  for (let i = 0; i < group.length; i++) h = Math.imul(h ^ group.charCodeAt(i), 16777619);
  const bucket = (h >>> 0) % 100;
  return bucket < 70 ? "train" : bucket < 85 ? "calibration" : "test";
}

function sample<T>(rows: T[], count: number, random: { next(): number }): T[] {
  const copy = [...rows];
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random.next() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, count);
}

function classWeights(spec: ModelSpec, rows: Labelled[]): Map<string, [number, number]> {
  return new Map(
    spec.labels.map((label) => {
      const known = rows.filter((r) => r.targets[label] !== undefined);
      const positives = known.filter((r) => r.targets[label] === 1).length;
      const negatives = known.length - positives;
      return [
        label,
        [known.length / (2 * Math.max(1, negatives)), known.length / (2 * Math.max(1, positives))],
      ];
    }),
  );
}

function toExample(
  spec: ModelSpec,
  l: Labelled,
  weights: Map<string, [number, number]>,
): SparseExample {
  const features = textFeatures(foldText(l.item.text).text);
  const count = Math.min(features.count, WINDOW_NGRAMS);
  const sums = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const b = features.buckets[i]!;
    sums.set(b, (sums.get(b) ?? 0) + 1);
  }
  const norm = 1 / Math.sqrt(Math.max(1, count));
  const own = l.item.source.startsWith("own-") ? OWN_WEIGHT : 1;
  return {
    buckets: Int32Array.from(sums.keys()),
    values: Float64Array.from(sums.values(), (v) => v * norm),
    targets: Int8Array.from(spec.labels, (label) => l.targets[label] ?? -1),
    weights: Float64Array.from(spec.labels, (label) => {
      const target = l.targets[label];
      return target === undefined ? 0 : weights.get(label)![target] * own;
    }),
  };
}

function known<T extends { l: Labelled }>(rows: T[], label: string) {
  return rows.filter((r) => r.l.targets[label] !== undefined) as (T & {
    l: Labelled & { targets: Record<string, 0 | 1> };
  })[];
}

function roundedPlatt({ a, b }: { a: number; b: number }) {
  return { a: Math.round(a * 1e4) / 1e4, b: Math.round(b * 1e4) / 1e4 };
}

function sourceSummary(labelled: Labelled[]) {
  const counts: Record<string, Record<string, number>> = {};
  for (const { item, targets } of labelled) {
    const row = counts[item.source] ?? { items: 0 };
    counts[item.source] = row;
    row.items = (row.items ?? 0) + 1;
    for (const [label, t] of Object.entries(targets)) {
      if (t === 1) row[label] = (row[label] ?? 0) + 1;
    }
  }
  return counts;
}

/** Share of held-out items flagged per source and label: recall on positives, noise on the rest. */
function bySourceFlagRates(
  spec: ModelSpec,
  file: ModelFile,
  test: { l: Labelled; scores: { logit: number }[] }[],
  calibrated: (
    rows: never[],
    label: string,
    i: number,
  ) => { l: Labelled; score: number; target: 0 | 1 }[],
) {
  const rates: Record<string, Record<string, { positives: string; negatives: string }>> = {};
  spec.labels.forEach((label, i) => {
    const threshold = file.thresholds[label]!;
    const groups = new Map<string, { tp: number; p: number; fp: number; n: number }>();
    for (const { l, score, target } of calibrated(test as never[], label, i)) {
      const g = groups.get(l.item.source) ?? { tp: 0, p: 0, fp: 0, n: 0 };
      if (target === 1) {
        g.p++;
        if (score >= threshold) g.tp++;
      } else {
        g.n++;
        if (score >= threshold) g.fp++;
      }
      groups.set(l.item.source, g);
    }
    for (const [source, g] of groups) {
      rates[source] = {
        ...rates[source],
        [label]: { positives: `${g.tp}/${g.p}`, negatives: `${g.fp}/${g.n}` },
      };
    }
  });
  return rates;
}

function printTable(spec: ModelSpec, file: ModelFile): void {
  process.stdout.write(`\n${spec.name}.v${spec.version} held-out split\n`);
  process.stdout.write("label        threshold precision recall  f1     positives negatives\n");
  for (const label of spec.labels) {
    const m = file.heldOut[label]!;
    process.stdout.write(
      `${label.padEnd(12)} ${String(file.thresholds[label]).padEnd(9)} ${m.precision.toFixed(3).padEnd(9)} ${m.recall.toFixed(3)}   ${m.f1.toFixed(3)}  ${String(m.positives).padEnd(9)} ${m.negatives}\n`,
    );
  }
  process.stdout.write(
    `flagged per source (held-out): ${JSON.stringify(file.training.heldOutBySource)}\n`,
  );
}

process.stdout.write(`${JSON.stringify(report)}\n`);
