import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfigFile } from "../config/index.ts";
import { progressOn } from "../evaluation/index.ts";
import { MainstayError } from "../shared/errors.ts";
import {
  checkExpectedCalls,
  DEFAULT_TURN_WAIT,
  formatSimulationTable,
  llmCustomer,
  loadScenarios,
  runSimulation,
  type Sandbox,
  type SimulationReport,
  scriptedCustomer,
  simulationHtml,
  startSandbox,
  toolSpecsOf,
} from "../simulation/index.ts";
import type { Command } from "./command.ts";
import { parseCommandArgs } from "./command.ts";
import { count, openEvalEnvironment, RUN_OPTIONS, usageError } from "./eval.ts";

export const simulateCommand: Command = {
  name: "simulate",
  summary: "simulated customers talk to an agent version: pass^k per scenario (gate: exit code)",
  usage: `
Usage: mainstay simulate SCENARIOS... [--agent ID@VERSION] [--baseline VERSION] [--trials K]
                         [--min-pass SHARE] [--concurrency N] [--turn-polls N] [--out DIR]
                         [--config FILE]

Each scenario (YAML files, or folders of them; see docs/simulation.md) is a customer with a
goal. The customer, played by the model the files name as \`customer\` or else by each
scenario's \`script\`, talks to the agent version until it is done, gives up, or a person
takes over. Each version runs in a sandbox: Mainstay started with the config's policies,
compliance, limits and handoff settings, a temporary database, and channels whose sends
go to a local capture server; every customer line goes in as a signed webhook and goes
through the production pipeline (channel rules, guardrails, tools, handoff). Every scenario runs K
times per version; a scenario's pass^K is 1 when all K trials pass. Prints a table, writes
simulate-report.json and simulate-report.html to DIR. Exits 1 when the candidate's pass^K
(the mean over scenarios) is below --min-pass, or, with --baseline, below the baseline's,
or a scenario that passed every baseline trial does not on the candidate.

Options:
      --agent ID@VERSION  the candidate (default: the config's agent, its active version)
      --baseline VERSION  another version of the same agent to compare with
      --trials K          conversations per scenario and version (default 1)
      --min-pass SHARE    lowest pass^K the candidate may have, 0..1 (default 1)
      --concurrency N     conversations run at once (default 4)
      --turn-polls N      checks of the job queue a turn may take before the trial fails
                          as stuck, 20 ms apart (default ${DEFAULT_TURN_WAIT.polls})
      --out DIR           where the reports are written (default: .)
  -c, --config FILE       mainstay.yaml (default: the files' \`config\`, else mainstay.yaml)
  -h, --help              show this help`,
  async run(argv, io) {
    const args = parseCommandArgs(
      this,
      argv,
      {
        ...RUN_OPTIONS,
        baseline: { type: "string" },
        trials: { type: "string", default: "1" },
        "min-pass": { type: "string", default: "1" },
        "turn-polls": { type: "string", default: String(DEFAULT_TURN_WAIT.polls) },
        config: { type: "string", short: "c" },
      },
      io,
    );
    if (!args) return 0;
    if (args.positionals.length === 0) throw usageError("expected SCENARIOS", this.usage);
    const trials = count(args.values.trials!, "--trials", this.usage);
    const concurrency = count(args.values.concurrency!, "--concurrency", this.usage);
    const minPass = share(args.values["min-pass"]!, this.usage);
    const polls = count(args.values["turn-polls"]!, "--turn-polls", this.usage);
    const set = loadScenarios(args.positionals);
    if (!set.customer) requireScripts(set.scenarios);
    const configFile = args.values.config ?? set.config ?? "mainstay.yaml";
    const env = await openEvalEnvironment(configFile, io.env);
    const sandboxes: Sandbox[] = [];
    try {
      const ref = await env.resolveRef(args.values.agent);
      const target = await env.target(ref);
      const baselineTarget = args.values.baseline
        ? await env.target({ id: ref.id, version: args.values.baseline })
        : undefined;
      // The versions run as the user's server would run them, each in a sandbox of its own.
      const loaded = loadConfigFile(configFile, io.env);
      const sandboxOf = async (document: typeof target.document) => {
        const sandbox = await startSandbox({ loaded, ...(document ? { document } : {}) });
        sandboxes.push(sandbox);
        return sandbox;
      };
      const candidate = await sandboxOf(target.document);
      const baseline = baselineTarget ? await sandboxOf(baselineTarget.document) : undefined;
      const customer = set.customer
        ? llmCustomer(set.customer, env.secrets, env.fetch)
        : scriptedCustomer;
      const judge = set.judge ? env.judge(set.judge) : undefined;
      const expectedCalls = await checkExpectedCalls(set.scenarios, toolSpecsOf(target.document));
      const startedAt = env.settings.clock.now();
      const progress = progressOn(io.stderr, "simulate");
      const result = await runSimulation(set.scenarios, {
        candidate,
        ...(baseline ? { baseline } : {}),
        customer,
        ...(judge ? { judge } : {}),
        wait: { ...DEFAULT_TURN_WAIT, polls },
        trials,
        concurrency,
        minPass,
        onProgress: (done, total) => progress.update(done, total),
      });
      progress.finish();
      const report: SimulationReport = {
        kind: "simulate",
        files: args.positionals,
        agent: { id: ref.id, candidate: ref.version, baseline: args.values.baseline ?? null },
        options: { trials, concurrency },
        customer: customer.name,
        judge: judge?.name ?? null,
        expectedCalls,
        startedAt: new Date(startedAt).toISOString(),
        finishedAt: new Date(env.settings.clock.now()).toISOString(),
        ...result,
      };
      io.stdout.write(formatSimulationTable(report));
      const dir = args.values.out!;
      mkdirSync(dir, { recursive: true });
      const jsonFile = join(dir, "simulate-report.json");
      const htmlFile = join(dir, "simulate-report.html");
      writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
      writeFileSync(htmlFile, simulationHtml(report));
      io.stdout.write(`reports: ${jsonFile} ${htmlFile}\n`);
      return report.gate.passed ? 0 : 1;
    } finally {
      for (const sandbox of sandboxes) await sandbox.close();
      await env.close();
    }
  },
};

function share(value: string, usage: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0 || n > 1) {
    throw usageError("--min-pass must be a share from 0 to 1", usage);
  }
  return n;
}

/** Without a customer model, every scenario must script its customer. */
function requireScripts(scenarios: readonly { name: string; source: string; script?: unknown }[]) {
  const unscripted = scenarios.filter((s) => !s.script);
  if (unscripted.length === 0) return;
  const list = unscripted.map((s) => `${s.source}: "${s.name}"`).join(", ");
  throw new MainstayError(
    "MS_SIM_INVALID",
    `no \`customer\` model is set and these scenarios have no \`script\`: ${list}`,
  );
}
