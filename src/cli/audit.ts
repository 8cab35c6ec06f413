import { auditRoutes } from "../api/routes/audit.ts";
import { auditHeadSchema } from "../audit/index.ts";
import { parseInput } from "../shared/parse-input.ts";
import {
  type ApiClient,
  type MountRoutes,
  WHERE,
  WHERE_OPTIONS,
  type WhereValues,
  withApi,
} from "./api-client.ts";
import { type Command, type CommandIo, commandGroup, parseCommandArgs } from "./command.ts";

const mountAudit: MountRoutes = async (app, store) => {
  await app.register(auditRoutes, { store });
};

const withAuditApi = <T>(values: WhereValues, io: CommandIo, fn: (api: ApiClient) => Promise<T>) =>
  withApi(values, io, mountAudit, fn);

const verify: Command = {
  name: "verify",
  summary: "check every entry's hash and link; exit 1 when the log was tampered with",
  usage: `
Usage: mainstay audit verify [--head SEQ:HASH] [--config FILE | --url URL --key KEY]

Recomputes the hash of every audit entry and checks that each one links to the entry
before it. Prints "ok" with the number of entries and the head, or the first bad entry
and why, and exits 1. Once retention purged old entries (\`retention.audit\`), the chain is
checked from where the purge left it.

      --head SEQ:HASH  a head an earlier run printed: that entry must still be there,
                       unchanged. Keep heads outside the database: whoever can write to
                       it can rewrite the whole chain, and only an old head shows that.
${WHERE}`,
  async run(argv, io) {
    const args = parseCommandArgs(this, argv, { ...WHERE_OPTIONS, head: { type: "string" } }, io);
    if (!args) return 0;
    const { head } = args.values;
    if (head !== undefined) parseInput(auditHeadSchema, head, "--head");
    const query = head === undefined ? "" : `?head=${encodeURIComponent(head)}`;
    const result = await withAuditApi(args.values, io, (api) =>
      api.call("GET", `/api/v1/audit/verify${query}`),
    );
    if (!result["ok"]) {
      io.stderr.write(
        `audit log tampered with: first bad entry ${result["firstBadSeq"]}: ${result["reason"]}\n`,
      );
      return 1;
    }
    const last = result["head"] as { seq: number; hash: string } | undefined;
    const printed = last ? `, head ${last.seq}:${last.hash}` : "";
    const purged = result["purgedThrough"];
    const kept = typeof purged === "number" ? ` (retention purged entries 1-${purged})` : "";
    io.stdout.write(`ok: ${result["entries"]} entries${kept}${printed}\n`);
    return 0;
  },
};

const list: Command = {
  name: "list",
  summary: "print audit entries, newest first",
  usage: `
Usage: mainstay audit list [--action A] [--actor NAME] [--target T] [--limit N]
                           [--config FILE | --url URL --key KEY]

Prints one entry per line, tab-separated: seq, time (UTC), actor, action, target, data.

      --action A      only this action (e.g. agent.version.activate)
      --actor NAME    only entries by this API key name or cli:<user>
      --target T      only entries about this target (e.g. an agent id)
      --limit N       at most N entries, 1 to 200 (default 50)
${WHERE}`,
  async run(argv, io) {
    const filters = {
      action: { type: "string" },
      actor: { type: "string" },
      target: { type: "string" },
      limit: { type: "string" },
    } as const;
    const args = parseCommandArgs(this, argv, { ...WHERE_OPTIONS, ...filters }, io);
    if (!args) return 0;
    const query = new URLSearchParams();
    for (const name of Object.keys(filters) as (keyof typeof filters)[]) {
      const value = args.values[name];
      if (value !== undefined) query.set(name, value);
    }
    const page = await withAuditApi(args.values, io, (api) =>
      api.call("GET", `/api/v1/audit?${query}`),
    );
    for (const e of page["data"] as Record<string, unknown>[]) {
      const fields = [e["seq"], e["createdAt"], e["actor"], e["action"], e["target"]];
      io.stdout.write(`${fields.join("\t")}\t${JSON.stringify(e["data"])}\n`);
    }
    return 0;
  },
};

export const auditCommand = commandGroup("audit", "verify and list the hash-chained audit log", [
  verify,
  list,
]);
