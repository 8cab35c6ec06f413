import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import pino from "pino";
import {
  buildAgent,
  costOf,
  getAgentVersion,
  renderPrompt,
  type Secrets,
  versionOf,
} from "../agents/index.ts";
import { loadConfigFile, loadPolicy, storeOptionsFor } from "../config/index.ts";
import {
  type ContactDirectory,
  contactDirectory,
  createJudge,
  type EvalTarget,
  evalHtml,
  evalRunOf,
  formatEvalTable,
  type Judge,
  type JudgeProvider,
  loadSuite,
  progressOn,
  runSuite,
  type TurnSettings,
} from "../evaluation/index.ts";
import { createGuard } from "../guardrails/index.ts";
import { readAgentSource } from "../main.ts";
import { systemClock } from "../shared/clock.ts";
import { createEgress, type EgressFetch } from "../shared/egress/index.ts";
import { MainstayError } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import { systemRandom } from "../shared/random.ts";
import { type EvalRunRecord, openStore, type Store } from "../store/index.ts";
import { type Command, type CommandIo, parseCommandArgs } from "./command.ts";

export const evalCommand: Command = {
  name: "eval",
  summary: "run a conversation test suite against an agent version (gate: exit code)",
  usage: `
Usage: mainstay eval SUITE [--agent ID@VERSION] [--baseline VERSION] [--concurrency N]
                           [--repeat N] [--out DIR] [--config FILE]

Plays every case of SUITE (YAML, see docs/evaluation.md) against the agent version the way
production answers (policies, handoffs, timeouts), checks the assertions, prints a table,
writes eval-report.json and eval-report.html to DIR and stores the result for the version.
Exits 1 when the gate fails: fewer cases pass than the suite's gate.minPassRate (default
all), or, with --baseline, a case that passes on the baseline fails on the candidate.

Options:
      --agent ID@VERSION  the candidate (default: the config's agent, its active version)
      --baseline VERSION  another version of the same agent to compare with
      --concurrency N     conversations run at once (default 4)
      --repeat N          runs of each case; a case passes when every run passes (default 1)
      --out DIR           where the reports are written (default: .)
  -c, --config FILE       mainstay.yaml (default: the suite's \`config\`, else mainstay.yaml)
  -h, --help              show this help`,
  async run(argv, io) {
    const args = parseCommandArgs(
      this,
      argv,
      {
        ...RUN_OPTIONS,
        baseline: { type: "string" },
        repeat: { type: "string", default: "1" },
        config: { type: "string", short: "c" },
      },
      io,
    );
    if (!args) return 0;
    const [file, ...extra] = args.positionals;
    if (!file || extra.length > 0) throw usageError("expected one SUITE file", this.usage);
    const suite = loadSuite(file);
    const concurrency = count(args.values.concurrency!, "--concurrency", this.usage);
    const repeat = count(args.values.repeat!, "--repeat", this.usage);
    const configFile =
      args.values.config ?? (suite.config ? resolve(dirname(file), suite.config) : "mainstay.yaml");
    const env = await openEvalEnvironment(configFile, io.env);
    try {
      const ref = await env.resolveRef(args.values.agent);
      const candidate = await env.target(ref);
      const baseline = args.values.baseline
        ? await env.target({ id: ref.id, version: args.values.baseline })
        : undefined;
      const judge = suite.judge ? env.judge(suite.judge) : undefined;
      const startedAt = env.settings.clock.now();
      const progress = progressOn(io.stderr, "eval");
      const result = await runSuite(suite, {
        candidate,
        ...(baseline ? { baseline } : {}),
        settings: env.settings,
        contacts: env.contacts,
        ...(judge ? { judge } : {}),
        concurrency,
        repeat,
        onProgress: (done, total) => progress.update(done, total),
      });
      progress.finish();
      const report = {
        kind: "eval" as const,
        suite: { name: suite.name ?? file, file },
        agent: { id: ref.id, candidate: ref.version, baseline: args.values.baseline ?? null },
        options: { concurrency, repeat },
        judge: judge?.name ?? null,
        startedAt: new Date(startedAt).toISOString(),
        finishedAt: new Date(env.settings.clock.now()).toISOString(),
        ...result,
      };
      await publishRun(io, env, args.values.out, {
        name: "eval-report",
        table: formatEvalTable(report),
        json: report,
        html: evalHtml(report),
        record: evalRunOf(report, newId("eval")),
      });
      return report.gate.passed ? 0 : 1;
    } finally {
      await env.close();
    }
  },
};

export interface AgentRef {
  id: string;
  version: string;
}

/** What eval, replay and redteam share: the configured agent, policies, store and prices. */
export interface EvalEnvironment {
  store: Store;
  settings: TurnSettings;
  contacts: ContactDirectory;
  /** `ID@VERSION`, `ID` (its active version) or nothing (the config's agent). */
  resolveRef(ref: string | undefined): Promise<AgentRef>;
  target(ref: AgentRef): Promise<EvalTarget>;
  judge(spec: JudgeProvider): Judge;
  /** What other models of a run (a simulated customer) call out with. */
  secrets: Secrets;
  fetch: EgressFetch;
  close(): Promise<void>;
}

/**
 * The agent versions a server with this config would run, built the way it builds them:
 * the config's own agent (built-in, or its document even before it is pushed), or a
 * version stored in its database, each behind the server's policy and the version's own.
 */
export async function openEvalEnvironment(
  configFile: string,
  env: NodeJS.ProcessEnv,
): Promise<EvalEnvironment> {
  const loaded = loadConfigFile(configFile, env);
  const { config } = loaded;
  const source = readAgentSource(loaded);
  const guard = createGuard(loadPolicy(loaded));
  const contacts = contactDirectory();
  const store = await openStore(storeOptionsFor(config, env));
  // The agents under test and the judge call out as the server would: through its policy.
  const egress = createEgress({ allow: config.server.egress.allow });
  const deps = {
    secrets: config.secrets,
    fetch: egress.fetch,
    clock: systemClock,
    random: systemRandom,
    baseDir: loaded.baseDir,
    lookupContact: contacts.lookup,
    logger: pino({ level: "silent" }),
  };
  const server = {
    screenInbound: guard.check,
    screenOutbound: guard.check,
    handoffText: config.handoff.message,
    negativeSentimentStreak: config.handoff.negativeSentimentStreak,
  };
  const configured = (): AgentRef =>
    source.type === "builtin"
      ? { id: source.agent.id, version: source.agent.version }
      : { id: source.document.id, version: versionOf(source.document) };
  return {
    store,
    contacts,
    settings: {
      clock: systemClock,
      costOf: (usage, provider, model) => costOf(usage, provider, model, config.prices),
      timeoutMs: Math.min(30_000, config.outbox.leaseMs / 2),
    },
    async resolveRef(ref) {
      if (!ref) return configured();
      const [, id, version] = /^([a-z0-9][a-z0-9_-]*)(?:@(\S+))?$/.exec(ref) ?? [];
      if (!id) throw new MainstayError("MS_CLI_USAGE", `"${ref}" is not ID@VERSION`);
      if (version) return { id, version };
      const active = await store.agentVersions.active(id);
      if (active) return { id, version: active.version };
      if (configured().id === id) return configured();
      throw new MainstayError("MS_NOT_FOUND", `agent ${id} has no active version`, 404);
    },
    async target(ref) {
      const own = configured();
      if (source.type === "builtin" && ref.id === own.id && ref.version === own.version) {
        return { ...server, agent: source.agent };
      }
      const document =
        source.type === "document" && ref.id === own.id && ref.version === own.version
          ? source.document
          : (await getAgentVersion(store, ref.id, ref.version)).document;
      return {
        ...server,
        agent: buildAgent(document, ref.version, deps),
        ...(document.policy
          ? { screenOutbound: createGuard(loadPolicy(loaded, document.policy)).check }
          : {}),
        systemPrompt: renderPrompt(document),
        document,
        handoffText: document.handoff.message ?? server.handoffText,
        negativeSentimentStreak:
          document.handoff.negativeSentimentStreak ?? server.negativeSentimentStreak,
      };
    },
    judge: (spec) => createJudge(spec, config.secrets, egress.fetch),
    secrets: config.secrets,
    fetch: egress.fetch,
    close: async () => {
      await store.close();
      await egress.close();
    },
  };
}

/** Options eval, replay and redteam share. */
export const RUN_OPTIONS = {
  agent: { type: "string" },
  concurrency: { type: "string", default: "4" },
  out: { type: "string", default: "." },
} as const;

/**
 * The end of every run: the table on stdout, NAME.json and NAME.html in DIR (and where
 * they are), and the run stored for the version.
 */
export async function publishRun(
  io: CommandIo,
  env: EvalEnvironment,
  dir: string,
  run: { name: string; table: string; json: unknown; html: string; record: EvalRunRecord },
) {
  io.stdout.write(run.table);
  mkdirSync(dir, { recursive: true });
  const jsonFile = join(dir, `${run.name}.json`);
  const htmlFile = join(dir, `${run.name}.html`);
  writeFileSync(jsonFile, `${JSON.stringify(run.json, null, 2)}\n`);
  writeFileSync(htmlFile, run.html);
  io.stdout.write(`reports: ${jsonFile} ${htmlFile}\n`);
  await env.store.evalRuns.insert(run.record);
}

export function count(value: string, flag: string, usage: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw usageError(`${flag} must be a whole number >= 1`, usage);
  return n;
}

export function usageError(message: string, usage: string): MainstayError {
  return new MainstayError("MS_CLI_USAGE", `${message}\n${usage.trim()}`);
}
