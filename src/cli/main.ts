import { describeError, isMainstayError } from "../shared/errors.ts";
import { agentsCommand } from "./agents.ts";
import { apiKeysCommand } from "./api-keys.ts";
import { auditCommand } from "./audit.ts";
import type { Command, CommandIo } from "./command.ts";
import { consentCommand } from "./consent.ts";
import { contactsCommand, holdsCommand } from "./contacts.ts";
import { demoCommand } from "./demo.ts";
import { evalCommand } from "./eval.ts";
import { guardCommand } from "./guard.ts";
import { keysCommand } from "./keys.ts";
import { killCommand, unkillCommand } from "./kill.ts";
import { policyCommand } from "./policy-test.ts";
import { redteamCommand } from "./redteam.ts";
import { replayCommand } from "./replay.ts";
import { rolloutCommand } from "./rollout.ts";
import { simulateCommand } from "./simulate.ts";
import { startCommand } from "./start.ts";
import { validateCommand } from "./validate.ts";

const commands: Command[] = [
  startCommand,
  validateCommand,
  guardCommand,
  policyCommand,
  agentsCommand,
  rolloutCommand,
  killCommand,
  unkillCommand,
  demoCommand,
  auditCommand,
  contactsCommand,
  holdsCommand,
  apiKeysCommand,
  consentCommand,
  keysCommand,
  evalCommand,
  replayCommand,
  redteamCommand,
  simulateCommand,
];

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Usage: mainstay <command> [options]\n\nCommands:\n${lines.join("\n")}\n\nRun \`mainstay <command> --help\` for a command's options.\n`;
}

/** Dispatch to a command; MainstayErrors print as `code: message`, never a stack trace. */
export async function runCli(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`mainstay: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (isMainstayError(e)) {
      io.stderr.write(`${e.code}: ${e.message}\n`);
      return 1;
    }
    if ((e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.stderr.write(`mainstay ${name}: ${describeError(e)}\n${command.usage.trim()}\n`);
      return 2;
    }
    io.stderr.write(
      `mainstay ${name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    return 1;
  }
}

const isEntry =
  import.meta.url === `file://${process.argv[1]}` || process.env["MAINSTAY_CLI"] === "1";
if (isEntry) {
  const code = await runCli(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
  process.exitCode = code;
}
