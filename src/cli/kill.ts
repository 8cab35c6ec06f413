import type { KillFallback } from "../store/index.ts";
import { WHERE, WHERE_OPTIONS } from "./api-client.ts";
import { type Command, operands, parseCommandArgs, usageError } from "./command.ts";
import { withRolloutApi } from "./rollout.ts";

export const killCommand: Command = {
  name: "kill",
  summary: "stop an agent answering anywhere, at once",
  usage: `
Usage: mainstay kill AGENT --reason TEXT [--fallback human|canned:TEXT|version:VERSION]
                    [--config FILE | --url URL --key KEY]

Every instance stops the agent within a second: its conversations go to the fallback
from their next turn (default: a person), and replies it queued but not yet sent are
not delivered. Undo with \`mainstay unkill AGENT\`.

      --reason TEXT       why (kept in the audit log)
      --fallback WHERE    human (default), canned:TEXT, or version:VERSION of the agent
${WHERE}`,
  async run(argv, io) {
    const options = {
      ...WHERE_OPTIONS,
      reason: { type: "string" },
      fallback: { type: "string" },
    } as const;
    const args = parseCommandArgs(this, argv, options, io);
    if (!args) return 0;
    const agent = operands(args.positionals, 1, this.usage)[0]!;
    if (!args.values.reason) throw usageError("--reason is required", this.usage);
    const fallback = parseFallback(args.values.fallback ?? "human", this.usage);
    await withRolloutApi(args.values, io, (api) =>
      api.call("POST", `/api/v1/agents/${encodeURIComponent(agent)}/kill`, {
        fallback,
        reason: args.values.reason,
      }),
    );
    io.stdout.write(`${agent} killed; fallback: ${args.values.fallback ?? "human"}\n`);
    return 0;
  },
};

export const unkillCommand: Command = {
  name: "unkill",
  summary: "let a killed agent answer again",
  usage: `
Usage: mainstay unkill AGENT [--config FILE | --url URL --key KEY]
${WHERE}`,
  async run(argv, io) {
    const args = parseCommandArgs(this, argv, WHERE_OPTIONS, io);
    if (!args) return 0;
    const agent = operands(args.positionals, 1, this.usage)[0]!;
    await withRolloutApi(args.values, io, (api) =>
      api.call("DELETE", `/api/v1/agents/${encodeURIComponent(agent)}/kill`),
    );
    io.stdout.write(`${agent} answers again\n`);
    return 0;
  },
};

function parseFallback(text: string, usage: string): KillFallback {
  if (text === "human") return { type: "human" };
  if (text.startsWith("canned:") && text.length > 7) return { type: "canned", text: text.slice(7) };
  if (text.startsWith("version:")) return { type: "version", version: text.slice(8) };
  throw usageError(
    `--fallback: expected human, canned:TEXT or version:VERSION, got "${text}"`,
    usage,
  );
}
