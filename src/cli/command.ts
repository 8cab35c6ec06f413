import { parseArgs } from "node:util";

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
