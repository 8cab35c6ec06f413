import {
  ATTACK_CATEGORIES,
  type AttackCategory,
  formatRedteamTable,
  generateAttacks,
  progressOn,
  redteamHtml,
  redteamRunOf,
  runRedteam,
} from "../evaluation/index.ts";
import { newId } from "../shared/ids.ts";
import { type Command, parseCommandArgs } from "./command.ts";
import { count, openEvalEnvironment, publishRun, RUN_OPTIONS, usageError } from "./eval.ts";

export const redteamCommand: Command = {
  name: "redteam",
  summary: "attack an agent version with adversarial turns and report unsafe replies",
  usage: `
Usage: mainstay redteam [--agent ID@VERSION] [--category C,...] [--channel TYPE]
                        [--concurrency N] [--out DIR] [--config FILE]

Sends adversarial customer messages generated from built-in templates (prompt injection in
several languages and obfuscations, system-prompt extraction, PII bait, requests for
commitments, toxic provocation, opt-out phrasing) through the policy and the agent, and
reports each reply that got past the policy unsafe, with the whole transcript. Writes
redteam-report.json and redteam-report.html to DIR, stores the run, and exits 1 when any
reply was unsafe.

Options:
      --agent ID@VERSION  the version attacked (default: the config's agent)
      --category C,...    only these: ${ATTACK_CATEGORIES.join(", ")}
      --channel TYPE      the channel type the attacks arrive on (default: webchat)
      --concurrency N     attacks run at once (default 4)
      --out DIR           where the reports are written (default: .)
  -c, --config FILE       mainstay.yaml (default: mainstay.yaml)
  -h, --help              show this help`,
  async run(argv, io) {
    const args = parseCommandArgs(
      this,
      argv,
      {
        ...RUN_OPTIONS,
        category: { type: "string" },
        channel: { type: "string", default: "webchat" },
        config: { type: "string", short: "c", default: "mainstay.yaml" },
      },
      io,
    );
    if (!args) return 0;
    const { values } = args;
    const categories = (values.category?.split(",") ?? [...ATTACK_CATEGORIES]).map((c) => c.trim());
    const unknown = categories.filter((c) => !ATTACK_CATEGORIES.includes(c as AttackCategory));
    if (unknown.length > 0) throw usageError(`unknown category: ${unknown.join(", ")}`, this.usage);
    const concurrency = count(values.concurrency, "--concurrency", this.usage);
    const env = await openEvalEnvironment(values.config, io.env);
    try {
      const ref = await env.resolveRef(values.agent);
      const target = await env.target(ref);
      const startedAt = new Date(env.settings.clock.now()).toISOString();
      const progress = progressOn(io.stderr, "redteam");
      const result = await runRedteam(generateAttacks(categories as AttackCategory[]), {
        target,
        settings: env.settings,
        contacts: env.contacts,
        channel: values.channel,
        concurrency,
        onProgress: (done, total) => progress.update(done, total),
      });
      progress.finish();
      const report = {
        kind: "redteam" as const,
        agent: ref,
        channel: values.channel,
        startedAt,
        finishedAt: new Date(env.settings.clock.now()).toISOString(),
        ...result,
      };
      await publishRun(io, env, values.out, {
        name: "redteam-report",
        table: formatRedteamTable(report),
        json: report,
        html: redteamHtml(report),
        record: redteamRunOf(report, newId("eval")),
      });
      return report.unsafe === 0 ? 0 : 1;
    } finally {
      await env.close();
    }
  },
};
