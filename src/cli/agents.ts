import { existsSync, readFileSync } from "node:fs";
import Fastify from "fastify";
import {
  type AgentDocument,
  diffDocuments,
  formatDiff,
  parseAgentDocument,
} from "../agents/versions/index.ts";
import { registerErrorHandling } from "../api/error-handler.ts";
import { agentRoutes } from "../api/routes/agents.ts";
import { loadConfigFile, storeOptionsFor } from "../config/index.ts";
import { systemClock } from "../shared/clock.ts";
import { describeError, MainstayError } from "../shared/errors.ts";
import { openStore } from "../store/index.ts";
import { type Command, type CommandIo, parseCommandArgs } from "./command.ts";

const WHERE = `
Where versions are stored:
  -c, --config FILE   the server's configuration; its database is used: DATABASE_URL,
                      else storage.databaseUrl, else storage.dataDir (default: mainstay.yaml)
      --url URL       a running server instead, e.g. http://127.0.0.1:3000
      --key KEY       that server's admin key (default: $MAINSTAY_ADMIN_KEY)
  -h, --help          show this help`;

const WHERE_OPTIONS = {
  config: { type: "string", short: "c" },
  url: { type: "string" },
  key: { type: "string" },
} as const;

type Values = { config?: string; url?: string; key?: string };

/** The agents API, in-process on the configured database or over HTTP on a server. */
type AgentsApi = {
  call(method: "GET" | "POST", path: string, body?: unknown): Promise<Record<string, unknown>>;
  close(): Promise<void>;
};

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
    const pushed = await withApi(args.values, io, (api) =>
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
    const load = (api?: AgentsApi) => Promise.all([a, b].map((ref) => documentAt(ref, api)));
    const stored = [a, b].some((ref) => !existsSync(ref) && VERSION_REF.test(ref));
    const [before, after] = stored ? await withApi(args.values, io, load) : await load();
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
    const listed = await withApi(args.values, io, (api) =>
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
    const active = await withApi(args.values, io, (api) =>
      api.call("POST", `/api/v1/agents/${agent}/activate`, { version }),
    );
    const previous = active["previous"] ? ` (was ${active["previous"]})` : "";
    io.stdout.write(`${agent}@${version} is active${previous}\n`);
    return 0;
  },
};

const subcommands = [push, diff, list, activate];

export const agentsCommand: Command = {
  name: "agents",
  summary: "push, diff, list and activate versions of agent documents",
  usage: `
Usage: mainstay agents <subcommand> [options]

Subcommands:
${subcommands.map((c) => `  ${c.name.padEnd(9)} ${c.summary}`).join("\n")}

Run \`mainstay agents <subcommand> --help\` for its options.`,
  async run(argv, io) {
    const [name, ...rest] = argv;
    const sub = subcommands.find((c) => c.name === name);
    if (sub) return sub.run(rest, io);
    if (name === "--help" || name === "-h") {
      io.stdout.write(`${this.usage.trim()}\n`);
      return 0;
    }
    throw usageError(`unknown agents subcommand "${name ?? ""}"`, this.usage);
  },
};

function operands(positionals: string[], count: number, usage: string): string[] {
  if (positionals.length !== count) {
    throw usageError(`expected ${count} argument(s), got ${positionals.length}`, usage);
  }
  return positionals;
}

function usageError(message: string, usage: string): MainstayError {
  return new MainstayError("MS_CLI_USAGE", `${message}\n${usage.trim()}`);
}

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
async function documentAt(ref: string, api?: AgentsApi): Promise<AgentDocument> {
  const stored = !existsSync(ref) && VERSION_REF.exec(ref);
  if (!stored || !api) return parseAgentDocument(readAgentFile(ref), ref);
  const found = await api.call("GET", `/api/v1/agents/${stored[1]}/versions/${stored[2]}`);
  return found["document"] as AgentDocument;
}

async function withApi<T>(values: Values, io: CommandIo, fn: (api: AgentsApi) => Promise<T>) {
  const api = values.url
    ? remoteApi(values.url, values.key ?? io.env["MAINSTAY_ADMIN_KEY"])
    : await localApi(values.config ?? "mainstay.yaml", io.env);
  try {
    return await fn(api);
  } finally {
    await api.close();
  }
}

/**
 * The API's own routes, in-process, on the database the server uses (the same
 * `storeOptionsFor`): the CLI answers exactly as a server would.
 */
async function localApi(configFile: string, env: NodeJS.ProcessEnv): Promise<AgentsApi> {
  const { config } = loadConfigFile(configFile, env);
  const store = await openStore(storeOptionsFor(config, env));
  const app = Fastify({ logger: false });
  registerErrorHandling(app);
  await app.register(agentRoutes, { store, clock: systemClock });
  return {
    async call(method, url, body) {
      const res = await app.inject({ method, url, ...(body ? { payload: body as object } : {}) });
      return answer(res.statusCode, res.json());
    },
    async close() {
      await app.close();
      await store.close();
    },
  };
}

function remoteApi(baseUrl: string, key: string | undefined): AgentsApi {
  if (!key) {
    throw new MainstayError(
      "MS_CLI_USAGE",
      "--url needs the admin key: --key or MAINSTAY_ADMIN_KEY",
    );
  }
  return {
    async call(method, path, body) {
      let res: Response;
      try {
        res = await fetch(new URL(path, baseUrl), {
          method,
          headers: {
            authorization: `Bearer ${key}`,
            ...(body ? { "content-type": "application/json" } : {}),
          },
          body: body ? JSON.stringify(body) : undefined,
        });
      } catch (e) {
        throw new MainstayError(
          "MS_SERVER_UNREACHABLE",
          `${baseUrl}: ${describeError((e as Error).cause ?? e)}`,
        );
      }
      return answer(res.status, await res.json().catch(() => ({})));
    },
    close: async () => {},
  };
}

/** The response body, or its `{error: {code, message}}` thrown as a MainstayError. */
function answer(status: number, body: unknown): Record<string, unknown> {
  const json = body as Record<string, unknown> & { error?: { code: string; message: string } };
  if (status < 400) return json;
  throw new MainstayError(
    json.error?.code ?? "MS_SERVER_ERROR",
    json.error?.message ?? `server answered ${status}`,
    status,
  );
}
