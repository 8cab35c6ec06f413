import { createInterface } from "node:readline";
import { channelTraitsOf } from "../channels/index.ts";
import {
  createGuard,
  defaultPolicy,
  describeIssues,
  type Guard,
  guardRequestSchema,
  loadPolicyFile,
  toGuardResponse,
} from "../guardrails/index.ts";
import { describeError } from "../shared/errors.ts";
import { type Command, type CommandIo, parseCommandArgs } from "./command.ts";

export const guardCommand: Command = {
  name: "guard",
  summary: "Check messages against a guardrails policy (JSONL in, JSONL decisions out)",
  usage: `
Usage: mainstay guard [--policy FILE]

Reads one JSON object a line on stdin: {"id","direction","channel","text"}
("direction" is inbound or outbound). Writes one decision a line on stdout:
{"id","action","text","reply"?,"findings":[{"type","start","end","rule","score"}]}.
A line that is not valid gets {"id","error":{"code","message"}} and the run goes on.

Options:
  --policy FILE   policy YAML (default: the built-in default policy)
`,
  async run(argv, io) {
    const args = parseCommandArgs(this, argv, { policy: { type: "string" } }, io);
    if (!args) return 0;
    const policy = args.values.policy ? loadPolicyFile(args.values.policy) : defaultPolicy();
    const guard = createGuard(policy, { channelTraits: channelTraitsOf });
    const lines = createInterface({ input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY });
    for await (const line of lines) {
      if (line.trim() === "") continue;
      await writeLine(io, await checkLine(guard, line));
    }
    return 0;
  },
};

async function checkLine(guard: Guard, line: string): Promise<unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    return badLine(null, `not JSON: ${describeError(e)}`);
  }
  const request = guardRequestSchema.safeParse(value);
  if (!request.success) return badLine(idOf(value), describeIssues(request.error));
  const { id, ...input } = request.data;
  return toGuardResponse(id, await guard.screen(input));
}

function badLine(id: unknown, message: string) {
  return { id, error: { code: "MS_BAD_REQUEST", message } };
}

function idOf(value: unknown): unknown {
  const id =
    typeof value === "object" && value !== null ? (value as { id?: unknown }).id : undefined;
  return typeof id === "string" || typeof id === "number" ? id : null;
}

async function writeLine(io: CommandIo, value: unknown): Promise<void> {
  if (!io.stdout.write(`${JSON.stringify(value)}\n`)) {
    await new Promise<void>((resolve) => io.stdout.once("drain", resolve));
  }
}
