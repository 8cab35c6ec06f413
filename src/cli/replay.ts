import { readFileSync, writeFileSync } from "node:fs";
import {
  conversationsBetween,
  formatDataset,
  formatReplayTable,
  loadJudge,
  parseDataset,
  progressOn,
  type RecordedConversation,
  recordedConversation,
  replayHtml,
  replayRunOf,
  runReplay,
  sampleOf,
} from "../evaluation/index.ts";
import { describeError, MainstayError } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import type { Store } from "../store/index.ts";
import { type Command, parseCommandArgs } from "./command.ts";
import { count, openEvalEnvironment, publishRun, RUN_OPTIONS, usageError } from "./eval.ts";

const WINDOW = `
  --agent ID        the agent whose conversations are taken
  --from DATE       first day or instant (ISO 8601, e.g. 2026-03-01), inclusive
  --to DATE         end of the window, exclusive
  --sample N        take N conversations (the same N on every run with the same seed)
  --seed S          another seed draws another sample (default: mainstay)
  -c, --config FILE mainstay.yaml whose database holds the conversations (default: mainstay.yaml)`;

const WINDOW_OPTIONS = {
  agent: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  sample: { type: "string" },
  seed: { type: "string", default: "mainstay" },
  config: { type: "string", short: "c", default: "mainstay.yaml" },
} as const;

const exportCommand: Command = {
  name: "export",
  summary: "write recorded conversations as a JSONL dataset",
  usage: `
Usage: mainstay replay export --agent ID --from DATE --to DATE [--sample N] [--output FILE]

Writes one recorded conversation per line (customer messages as stored, with PII redacted
as the policy stored it, and what production answered), to share as a regression set.
${WINDOW}
  --output FILE     where to write (default: standard output)`,
  async run(argv, io) {
    const args = parseCommandArgs(
      this,
      argv,
      { ...WINDOW_OPTIONS, output: { type: "string" } },
      io,
    );
    if (!args) return 0;
    const env = await openEvalEnvironment(args.values.config, io.env);
    try {
      const dataset = formatDataset(await recordedWindow(env.store, args.values, this.usage));
      if (args.values.output) writeFileSync(args.values.output, dataset);
      else io.stdout.write(dataset);
      return 0;
    } finally {
      await env.close();
    }
  },
};

export const replayCommand: Command = {
  name: "replay",
  summary: "replay recorded conversations against a candidate version and compare",
  usage: `
Usage: mainstay replay --agent ID --candidate VERSION (--from DATE --to DATE | --dataset FILE)
                       [--sample N] [--seed S] [--concurrency N] [--judge FILE] [--out DIR]
       mainstay replay export --agent ID --from DATE --to DATE [--sample N] [--output FILE]

Replays each customer message of recorded conversations against the candidate, with the
conversation as it really went before it, and compares the candidate's replies with what
production answered: similarity, guardrail findings, handoffs, length, latency, cost, and
the judge's view when --judge is given. Prints the conversations that changed most, writes
replay-report.json and replay-report.html to DIR and stores the run.
${WINDOW}
  --candidate VERSION  the version to replay against
  --dataset FILE       a JSONL dataset (from \`replay export\`) instead of the database
  --concurrency N      conversations replayed at once (default 4)
  --judge FILE         a YAML file with a \`judge:\` provider block (a suite has one)
  --out DIR            where the reports are written (default: .)`,
  async run(argv, io) {
    if (argv[0] === "export") return exportCommand.run(argv.slice(1), io);
    const args = parseCommandArgs(
      this,
      argv,
      {
        ...WINDOW_OPTIONS,
        ...RUN_OPTIONS,
        candidate: { type: "string" },
        dataset: { type: "string" },
        judge: { type: "string" },
      },
      io,
    );
    if (!args) return 0;
    const { values } = args;
    if (!values.agent || !values.candidate) {
      throw usageError("--agent and --candidate are required", this.usage);
    }
    const concurrency = count(values.concurrency, "--concurrency", this.usage);
    const judgeSpec = values.judge ? loadJudge(values.judge) : undefined;
    const env = await openEvalEnvironment(values.config, io.env);
    try {
      const candidate = await env.target({ id: values.agent, version: values.candidate });
      const recorded = values.dataset
        ? sampled(readDataset(values.dataset), values, this.usage)
        : await recordedWindow(env.store, values, this.usage);
      const judge = judgeSpec && env.judge(judgeSpec);
      const startedAt = new Date(env.settings.clock.now()).toISOString();
      const progress = progressOn(io.stderr, "replay");
      const result = await runReplay(recorded, {
        candidate,
        settings: env.settings,
        contacts: env.contacts,
        ...(judge ? { judge } : {}),
        concurrency,
        onProgress: (done, total) => progress.update(done, total),
      });
      progress.finish();
      const report = {
        kind: "replay" as const,
        agent: { id: values.agent, candidate: values.candidate },
        source: values.dataset
          ? { dataset: values.dataset }
          : { from: values.from!, to: values.to! },
        sample: { size: values.sample ? Number(values.sample) : null, seed: values.seed },
        judge: judge?.name ?? null,
        startedAt,
        finishedAt: new Date(env.settings.clock.now()).toISOString(),
        ...result,
      };
      await publishRun(io, env, values.out, {
        name: "replay-report",
        table: formatReplayTable(report),
        json: report,
        html: replayHtml(report),
        record: replayRunOf(report, newId("eval")),
      });
      return 0;
    } finally {
      await env.close();
    }
  },
};

type WindowValues = { agent?: string; from?: string; to?: string; sample?: string; seed: string };

async function recordedWindow(store: Store, values: WindowValues, usage: string) {
  if (!values.agent || !values.from || !values.to) {
    throw usageError("--agent, --from and --to are required", usage);
  }
  const window = {
    agentId: values.agent,
    from: date(values.from, usage),
    to: date(values.to, usage),
  };
  const chosen = sampled(await conversationsBetween(store, window), values, usage);
  const recorded: RecordedConversation[] = [];
  // Oldest first, so a report reads in the order things happened.
  for (const c of chosen.sort((a, b) => a.createdAt - b.createdAt)) {
    recorded.push(await recordedConversation(store, c));
  }
  return recorded;
}

function sampled<T extends { id: string }>(items: T[], values: WindowValues, usage: string): T[] {
  return values.sample
    ? sampleOf(items, count(values.sample, "--sample", usage), values.seed)
    : items;
}

function date(value: string, usage: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw usageError(`"${value}" is not a date (ISO 8601)`, usage);
  return ms;
}

function readDataset(file: string): RecordedConversation[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new MainstayError("MS_EVAL_INVALID", `${file}: cannot read: ${describeError(e)}`);
  }
  return parseDataset(text, file);
}
