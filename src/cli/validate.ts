import { loadConfigFile } from "../config/index.ts";
import { type Command, parseCommandArgs } from "./command.ts";

export const validateCommand: Command = {
  name: "validate",
  summary: "check a mainstay.yaml and report every problem with file, line and field",
  usage: `
Usage: mainstay validate [--config FILE]

Checks the configuration without starting anything. Exits 0 when it is valid,
1 with one line per problem (file:line:column: field: what is wrong) otherwise.

Options:
  -c, --config FILE   configuration file (default: mainstay.yaml)
  -h, --help          show this help`,
  async run(argv, io) {
    const args = parseCommandArgs(this, argv, { config: { type: "string", short: "c" } }, io);
    if (!args) return 0;
    const file = (args.values.config as string | undefined) ?? "mainstay.yaml";
    const { config } = loadConfigFile(file, io.env);
    io.stdout.write(
      `${file}: valid (agent ${config.agent.id}@${config.agent.version}, ${config.channels.length} channel(s))\n`,
    );
    return 0;
  },
};
