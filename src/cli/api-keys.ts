import { ADMIN_PRINCIPAL, ManagedKeys } from "../api/auth/index.ts";
import { apiKeyRoutes } from "../api/routes/api-keys.ts";
import { systemClock } from "../shared/clock.ts";
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

/** The API key routes over the configured store, as a server mounts them. */
const mountApiKeys: MountRoutes = async (app, store, config) => {
  const reserved = new Set([ADMIN_PRINCIPAL.name, ...config.server.apiKeys.map((k) => k.name)]);
  const keys = new ManagedKeys(store, systemClock, reserved);
  await app.register(apiKeyRoutes, { keys, clock: systemClock });
};

const withKeysApi = <T>(values: WhereValues, io: CommandIo, fn: (api: ApiClient) => Promise<T>) =>
  withApi(values, io, mountApiKeys, fn);

const list = (text: string | undefined) =>
  text === undefined ? undefined : text.split(",").map((s) => s.trim());

const create: Command = {
  name: "create",
  summary: "make a key and print its token (shown this once)",
  usage: `
Usage: mainstay api-keys create NAME --role viewer|agent|admin [--channels IDS]
                                [--agents IDS] [--expires ISO-TIME]
                                [--config FILE | --url URL --key KEY]

      --role ROLE         what the key may do (docs/security.md)
      --channels IDS      comma-separated channel ids the key is limited to
      --agents IDS        comma-separated agent ids the key is limited to
      --expires TIME      when the key stops working, e.g. 2026-12-31T00:00:00Z
${WHERE}`,
  async run(argv, io) {
    const options = {
      ...WHERE_OPTIONS,
      role: { type: "string" },
      channels: { type: "string" },
      agents: { type: "string" },
      expires: { type: "string" },
    } as const;
    const args = parseCommandArgs(this, argv, options, io);
    if (!args) return 0;
    const name = operands(args.positionals, 1, this.usage)[0]!;
    if (!args.values.role) throw usageError("--role is required", this.usage);
    const channels = list(args.values.channels);
    const agents = list(args.values.agents);
    const body = {
      name,
      role: args.values.role,
      ...(channels || agents ? { scopes: { channels, agents } } : {}),
      ...(args.values.expires ? { expiresAt: args.values.expires } : {}),
    };
    const key = await withKeysApi(args.values, io, (api) =>
      api.call("POST", "/api/v1/api-keys", body),
    );
    io.stdout.write(`${key["id"]} ${name}\ntoken: ${key["token"]}\n`);
    io.stderr.write("The token is shown only now; store it where its user keeps secrets.\n");
    return 0;
  },
};

const show: Command = {
  name: "list",
  summary: "list keys: id, name, role, status, last used",
  usage: `
Usage: mainstay api-keys list [--json] [--config FILE | --url URL --key KEY]

      --json          print the keys as JSON
${WHERE}`,
  async run(argv, io) {
    const args = parseCommandArgs(this, argv, { ...WHERE_OPTIONS, json: { type: "boolean" } }, io);
    if (!args) return 0;
    const res = await withKeysApi(args.values, io, (api) => api.call("GET", "/api/v1/api-keys"));
    const keys = res["data"] as Record<string, unknown>[];
    if (args.values.json) {
      io.stdout.write(`${JSON.stringify(keys, null, 2)}\n`);
      return 0;
    }
    for (const k of keys) {
      const cells = [k["id"], k["name"], k["role"], k["status"], k["lastUsedAt"] ?? "never"];
      io.stdout.write(`${cells.join("\t")}\n`);
    }
    return 0;
  },
};

const rotate: Command = {
  name: "rotate",
  summary: "give a key a new token (the old one is refused at once)",
  usage: `
Usage: mainstay api-keys rotate ID [--config FILE | --url URL --key KEY]
${WHERE}`,
  async run(argv, io) {
    const args = parseCommandArgs(this, argv, WHERE_OPTIONS, io);
    if (!args) return 0;
    const id = operands(args.positionals, 1, this.usage)[0]!;
    const key = await withKeysApi(args.values, io, (api) =>
      api.call("POST", `/api/v1/api-keys/${encodeURIComponent(id)}/rotate`),
    );
    io.stdout.write(`${id} ${key["name"]}\ntoken: ${key["token"]}\n`);
    return 0;
  },
};

const revoke: Command = {
  name: "revoke",
  summary: "end a key on every instance at once",
  usage: `
Usage: mainstay api-keys revoke ID [--config FILE | --url URL --key KEY]
${WHERE}`,
  async run(argv, io) {
    const args = parseCommandArgs(this, argv, WHERE_OPTIONS, io);
    if (!args) return 0;
    const id = operands(args.positionals, 1, this.usage)[0]!;
    await withKeysApi(args.values, io, (api) =>
      api.call("DELETE", `/api/v1/api-keys/${encodeURIComponent(id)}`),
    );
    io.stdout.write(`${id} revoked\n`);
    return 0;
  },
};

export const apiKeysCommand = commandGroup("api-keys", "create, list, rotate and revoke API keys", [
  create,
  show,
  rotate,
  revoke,
]);
