import { resolve } from "node:path";
import type { AgentSource } from "../agents/index.ts";
import { checkConfigText, type LoadedConfig, loadPolicy, readConfigText } from "../config/index.ts";
import type { Policy } from "../guardrails/index.ts";
import { readAgentSource } from "../main.ts";
import { formatPath } from "../shared/format-path.ts";
import { type Command, parseCommandArgs } from "./command.ts";

export const validateCommand: Command = {
  name: "validate",
  summary: "check a mainstay.yaml and report every problem with file, line and field",
  usage: `
Usage: mainstay validate [--config FILE]

Checks the configuration, and the agent document, policy files and knowledge bases it
names, without starting anything. Exits 0 when all are valid, 1 with every problem
found, one per line (file:line:column: field: what is wrong), sorted by file and line.

Options:
  -c, --config FILE   configuration file (default: mainstay.yaml)
  -h, --help          show this help`,
  async run(argv, io) {
    const args = parseCommandArgs(this, argv, { config: { type: "string", short: "c" } }, io);
    if (!args) return 0;
    const file = (args.values.config as string | undefined) ?? "mainstay.yaml";
    const { loaded, agent, policy } = checkConfigFile(file, io.env);
    const name =
      agent.type === "builtin"
        ? `agent ${agent.agent.id}@${agent.agent.version}`
        : `agent ${agent.document.id} (${agent.document.provider.type})`;
    io.stdout.write(
      `${file}: valid (${name}, ${loaded.config.channels.length} channel(s), policy with ${policy.rules.length} rules)\n`,
    );
    return 0;
  },
};

/**
 * Everything `start` reads before it opens anything, checked in one pass: the config (unset
 * variables, schema, cross-field checks), then the files it names and the problems inside
 * them, for every part of the config that is itself valid. Throws one error listing every
 * problem, sorted by file and line: its code is the one they share (MS_AGENT_INVALID when
 * all are in the agent document), else MS_CONFIG_INVALID.
 */
export function checkConfigFile(
  file: string,
  env: NodeJS.ProcessEnv,
): { loaded: LoadedConfig; agent: AgentSource; policy: Policy } {
  const { loaded, parts, problems } = checkConfigText(readConfigText(file), resolve(file), env);
  const inConfig = (key: string) => {
    const pos = parts.locate?.([key]);
    return { file: parts.file!, line: pos?.line, column: pos?.col, path: formatPath([key]) };
  };
  const { agent: agentConfig, policies } = parts.config;
  let agent: AgentSource | undefined;
  if (agentConfig) {
    try {
      agent = readAgentSource({ ...parts, config: { ...parts.config, agent: agentConfig } });
    } catch (e) {
      problems.addError(e, inConfig("agent"));
    }
  }
  let policy: Policy | undefined;
  if (policies !== undefined) {
    try {
      policy = loadPolicy(parts);
    } catch (e) {
      problems.addError(e, inConfig("policies"));
    }
  }
  problems.throwIfAny("MS_CONFIG_INVALID");
  return { loaded: loaded!, agent: agent!, policy: policy! };
}
