import { loadKnowledgeBase } from "../agents/builtin/index.ts";

import { loadConfigFile, loadPolicy, resolveFromConfig } from "../config/index.ts";
import { readAgentSource } from "../main.ts";
import { type Command, parseCommandArgs } from "./command.ts";

export const validateCommand: Command = {
  name: "validate",
  summary: "check a mainstay.yaml and report every problem with file, line and field",
  usage: `
Usage: mainstay validate [--config FILE]

Checks the configuration, and the policy file and knowledge base it names, without
starting anything. Exits 0 when all are valid, 1 with one line per problem
(file:line:column: field: what is wrong) otherwise.

Options:
  -c, --config FILE   configuration file (default: mainstay.yaml)
  -h, --help          show this help`,
  async run(argv, io) {
    const args = parseCommandArgs(this, argv, { config: { type: "string", short: "c" } }, io);
    if (!args) return 0;
    const file = (args.values.config as string | undefined) ?? "mainstay.yaml";
    const loaded = loadConfigFile(file, io.env);
    const { config } = loaded;
    // The files the config names are checked too, as `start` would read them.
    const policy = loadPolicy(loaded);
    const agent = readAgentSource(loaded);
    if (agent.type === "document") {
      // What the document refers to, resolved as `start` resolves it.
      if (agent.document.policy) loadPolicy(loaded, agent.document.policy);
      if (agent.document.knowledgeDir) {
        loadKnowledgeBase(resolveFromConfig(loaded, agent.document.knowledgeDir));
      }
    }
    const name =
      agent.type === "builtin"
        ? `agent ${agent.agent.id}@${agent.agent.version}`
        : `agent ${agent.document.id} (${agent.document.provider.type})`;
    io.stdout.write(
      `${file}: valid (${name}, ${config.channels.length} channel(s), policy with ${policy.rules.length} rules)\n`,
    );
    return 0;
  },
};
