import { parseArgs } from "node:util";
import { MainstayError } from "../shared/errors.ts";

/** What a command can touch besides its arguments, so tests drive the CLI in-process. */
export interface CommandIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Returns the process exit code. */
  run(argv: string[], io: CommandIo): Promise<number>;
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>["options"];

/**
 * Parse flags with node:util, adding `--help`. Returns undefined (after printing usage)
 * when help was asked for; unknown flags throw node's ERR_PARSE_ARGS_* errors, which the
 * dispatcher turns into usage and exit code 2.
 */
export function parseCommandArgs<O extends Options>(
  command: Pick<Command, "usage">,
  argv: string[],
  options: O,
  io: CommandIo,
) {
  const parsed = parseArgs({
    args: argv,
    options: { ...options, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
    strict: true,
  });
  if ((parsed.values as { help?: boolean }).help) {
    io.stdout.write(`${command.usage.trim()}\n`);
    return undefined;
  }
  return parsed;
}

/** A command made of subcommands (`mainstay agents push`, `mainstay rollout status`). */
export function commandGroup(name: string, summary: string, subcommands: Command[]): Command {
  const width = Math.max(...subcommands.map((c) => c.name.length));
  return {
    name,
    summary,
    usage: `
Usage: mainstay ${name} <subcommand> [options]

Subcommands:
${subcommands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n")}

Run \`mainstay ${name} <subcommand> --help\` for its options.`,
    async run(argv, io) {
      const [sub, ...rest] = argv;
      const found = subcommands.find((c) => c.name === sub);
      if (found) return found.run(rest, io);
      if (sub === "--help" || sub === "-h") {
        io.stdout.write(`${this.usage.trim()}\n`);
        return 0;
      }
      throw usageError(`unknown ${name} subcommand "${sub ?? ""}"`, this.usage);
    },
  };
}

/** The positional arguments, exactly `count` of them. */
export function operands(positionals: string[], count: number, usage: string): string[] {
  if (positionals.length !== count) {
    throw usageError(`expected ${count} argument(s), got ${positionals.length}`, usage);
  }
  return positionals;
}

export function usageError(message: string, usage: string): MainstayError {
  return new MainstayError("MS_CLI_USAGE", `${message}\n${usage.trim()}`);
}
