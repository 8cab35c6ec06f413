import { existsSync, readFileSync } from "node:fs";
import {
  type AgentDocument,
  diffDocuments,
  formatDiff,
  parseAgentDocument,
} from "../agents/versions/index.ts";
import { agentRoutes } from "../api/routes/agents.ts";
import { systemClock } from "../shared/clock.ts";
import { describeError, MainstayError } from "../shared/errors.ts";
import {
  type ApiClient,
  type MountRoutes,
  WHERE,
  WHERE_OPTIONS,
  type WhereValues,
  withApi,
} from "./api-client.ts";
import {
  type Command,
  type CommandIo,
  commandGroup,
  operands,
  parseCommandArgs,
  usageError,
} from "./command.ts";

/** Every agents command mounts the same routes in-process, with the config's secret names. */
const mountAgents: MountRoutes = async (app, store, config) => {
  await app.register(agentRoutes, {
    store,
    clock: systemClock,
    secrets: Object.keys(config.secrets),
  });
};

const withAgentsApi = <T>(values: WhereValues, io: CommandIo, fn: (api: ApiClient) => Promise<T>) =>
  withApi(values, io, mountAgents, fn);

const VERSION_REF = /^([a-z0-9][a-z0-9_-]*)@(v_[0-9a-f]{12})$/;

const push: Command = {
  name: "push",
  summary: "store an agent document as a version (pushing it again changes nothing)",
  usage: `
Usage: mainstay agents push FILE [--config FILE | --url URL --key KEY]

Validates FILE (problems as file:line:column: field: message) and stores it as an
immutable version named after its content hash. Prints AGENT@VERSION.
${WHERE}`,
  async run(argv, io) {
    const args = parseCommandArgs(this, argv, WHERE_OPTIONS, io);
    if (!args) return 0;
    const file = operands(args.positionals, 1, this.usage)[0]!;
    const source = readAgentFile(file);
    const doc = parseAgentDocument(source, file);
    const pushed = await withAgentsApi(args.values, io, (api) =>
      api.call("POST", `/api/v1/agents/${doc.id}/versions`, { document: source }),
    );
    const state = pushed["created"] ? "stored" : `already stored on ${pushed["createdAt"]}`;
    io.stdout.write(`${pushed["agentId"]}@${pushed["version"]} ${state}\n`);
    return 0;
  },
};

const diff: Command = {
  name: "diff",
  summary: "show what changed between two agent documents",
  usage: `
Usage: mainstay agents diff A B [--config FILE | --url URL --key KEY]

Prints what changed from A to B: "+ path: value" added, "- path: value" removed,
"~ path: old -> new" changed, and multi-line text (the system prompt) line by line.
A and B are agent files, or stored versions written AGENT@VERSION (support@v_1a2b3c4d5e6f).
${WHERE}`,
  async run(argv, io) {
    const args = parseCommandArgs(this, argv, WHERE_OPTIONS, io);
    if (!args) return 0;
    const [a, b] = operands(args.positionals, 2, this.usage) as [string, string];
    const load = (api?: ApiClient) => Promise.all([a, b].map((ref) => documentAt(ref, api)));
    const stored = [a, b].some((ref) => !existsSync(ref) && VERSION_REF.test(ref));
    const [before, after] = stored ? await withAgentsApi(args.values, io, load) : await load();
    io.stdout.write(`--- ${a}\n+++ ${b}\n${formatDiff(diffDocuments(before, after))}`);
    return 0;
  },
};

const list: Command = {
  name: "list",
  summary: "list an agent's versions, newest first, and which one is active",
  usage: `
Usage: mainstay agents list AGENT [--config FILE | --url URL --key KEY]
${WHERE}`,
  async run(argv, io) {
    const args = parseCommandArgs(this, argv, WHERE_OPTIONS, io);
    if (!args) return 0;
    const agent = operands(args.positionals, 1, this.usage)[0]!;
    const listed = await withAgentsApi(args.values, io, (api) =>
      api.call("GET", `/api/v1/agents/${encodeURIComponent(agent)}/versions`),
    );
    const rows = listed["data"] as { version: string; createdAt: string; active: boolean }[];
    io.stdout.write("VERSION          CREATED                   ACTIVE\n");
    for (const row of rows) {
      io.stdout.write(
        `${row.version.padEnd(17)}${row.createdAt.padEnd(26)}${row.active ? "*" : ""}\n`,
      );
    }
    return 0;
  },
};

const activate: Command = {
  name: "activate",
  summary: "make a stored version the one new conversations use",
  usage: `
Usage: mainstay agents activate AGENT@VERSION [--config FILE | --url URL --key KEY]
${WHERE}`,
  async run(argv, io) {
    const args = parseCommandArgs(this, argv, WHERE_OPTIONS, io);
    if (!args) return 0;
    const ref = operands(args.positionals, 1, this.usage)[0]!;
    const [, agent, version] = VERSION_REF.exec(ref) ?? [];
    if (!agent) throw usageError(`"${ref}" is not AGENT@VERSION`, this.usage);
    const active = await withAgentsApi(args.values, io, (api) =>
      api.call("POST", `/api/v1/agents/${agent}/activate`, { version }),
    );
    const previous = active["previous"] ? ` (was ${active["previous"]})` : "";
    io.stdout.write(`${agent}@${version} is active${previous}\n`);
    return 0;
  },
};

const subcommands = [push, diff, list, activate];

export const agentsCommand = commandGroup(
  "agents",
  "push, diff, list and activate versions of agent documents",
  subcommands,
);

function readAgentFile(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new MainstayError(
      "MS_AGENT_INVALID",
      `${file}: cannot read agent file: ${describeError(e)}`,
    );
  }
}

/** A diff operand: an agent file, or AGENT@VERSION from the store (a file of that name wins). */
async function documentAt(ref: string, api?: ApiClient): Promise<AgentDocument> {
  const stored = !existsSync(ref) && VERSION_REF.exec(ref);
  if (!stored || !api) return parseAgentDocument(readAgentFile(ref), ref);
  const found = await api.call("GET", `/api/v1/agents/${stored[1]}/versions/${stored[2]}`);
  return found["document"] as AgentDocument;
}
