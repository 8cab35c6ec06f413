import { writeFileSync } from "node:fs";
import { governanceRoutes } from "../api/routes/governance.ts";
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

const mountGovernance: MountRoutes = async (app, store) => {
  await app.register(governanceRoutes, { store, clock: systemClock });
};

const withGovernanceApi = <T>(
  values: WhereValues,
  io: CommandIo,
  fn: (api: ApiClient) => Promise<T>,
) => withApi(values, io, mountGovernance, fn);

const exportContact: Command = {
  name: "export",
  summary: "print everything stored about a person as JSON",
  usage: `
Usage: mainstay contacts export CONTACT [--out FILE] [--config FILE | --url URL --key KEY]

Prints the contact, its identities, consent, merges, legal holds and every conversation
(messages, events, agent turns and traces, notes, labels, feedback) as one JSON document.
The export is recorded in the audit log.

      --out FILE      write the JSON to FILE instead of standard output
${WHERE}`,
  async run(argv, io) {
    const args = parseCommandArgs(this, argv, { ...WHERE_OPTIONS, out: { type: "string" } }, io);
    if (!args) return 0;
    const id = operands(args.positionals, 1, this.usage)[0]!;
    const document = await withGovernanceApi(args.values, io, (api) =>
      api.call("GET", `/api/v1/contacts/${encodeURIComponent(id)}/export`),
    );
    const text = `${JSON.stringify(document, null, 2)}\n`;
    if (args.values.out) writeFileSync(args.values.out, text, { mode: 0o600 });
    else io.stdout.write(text);
    return 0;
  },
};

const eraseContact: Command = {
  name: "erase",
  summary: "erase a person across every linked identity, for good",
  usage: `
Usage: mainstay contacts erase CONTACT --yes [--config FILE | --url URL --key KEY]

Redacts the person's messages, attachments, guardrail evidence, names and addresses and
deletes their traces, notes and labels; consent states, ids and aggregate figures stay,
and a tombstone records the erasure. Refused while a legal hold covers the contact or one
of its conversations. It cannot be undone: export first if the data is needed.

      --yes           confirm the erasure
${WHERE}`,
  async run(argv, io) {
    const args = parseCommandArgs(this, argv, { ...WHERE_OPTIONS, yes: { type: "boolean" } }, io);
    if (!args) return 0;
    const id = operands(args.positionals, 1, this.usage)[0]!;
    if (!args.values.yes)
      throw usageError("--yes is required: erasure cannot be undone", this.usage);
    const erasure = await withGovernanceApi(args.values, io, (api) =>
      api.call("POST", `/api/v1/contacts/${encodeURIComponent(id)}/erase`),
    );
    const summary = erasure["summary"] as Record<string, number>;
    io.stdout.write(
      `${id} erased: ${summary["conversations"]} conversations, ${summary["messages"]} messages, ${summary["identities"]} identities\n`,
    );
    return 0;
  },
};

export const contactsCommand = commandGroup("contacts", "export or erase a person's data", [
  exportContact,
  eraseContact,
]);

const placeHold: Command = {
  name: "place",
  summary: "hold a contact or conversation back from retention and erasure",
  usage: `
Usage: mainstay holds place (--contact ID | --conversation ID) --reason TEXT
                            [--config FILE | --url URL --key KEY]

Until the hold is lifted, retention purges nothing of it and erasure is refused. The
reason stays with the hold (not in the audit log, which records the hold's id).

      --contact ID        the contact, with every conversation it has
      --conversation ID   one conversation
      --reason TEXT       why (a matter or case reference)
${WHERE}`,
  async run(argv, io) {
    const options = {
      ...WHERE_OPTIONS,
      contact: { type: "string" },
      conversation: { type: "string" },
      reason: { type: "string" },
    } as const;
    const args = parseCommandArgs(this, argv, options, io);
    if (!args) return 0;
    operands(args.positionals, 0, this.usage);
    const { contact, conversation, reason } = args.values;
    if ((contact === undefined) === (conversation === undefined)) {
      throw usageError("give one of --contact or --conversation", this.usage);
    }
    if (!reason) throw usageError("--reason is required", this.usage);
    const body = contact
      ? { scope: "contact", targetId: contact, reason }
      : { scope: "conversation", targetId: conversation, reason };
    const hold = await withGovernanceApi(args.values, io, (api) =>
      api.call("POST", "/api/v1/legal-holds", body),
    );
    io.stdout.write(`${hold["id"]} holds ${hold["scope"]} ${hold["targetId"]}\n`);
    return 0;
  },
};

const liftHold: Command = {
  name: "lift",
  summary: "lift a legal hold",
  usage: `
Usage: mainstay holds lift HOLD [--config FILE | --url URL --key KEY]
${WHERE}`,
  async run(argv, io) {
    const args = parseCommandArgs(this, argv, WHERE_OPTIONS, io);
    if (!args) return 0;
    const id = operands(args.positionals, 1, this.usage)[0]!;
    await withGovernanceApi(args.values, io, (api) =>
      api.call("POST", `/api/v1/legal-holds/${encodeURIComponent(id)}/lift`),
    );
    io.stdout.write(`${id} lifted\n`);
    return 0;
  },
};

const listHolds: Command = {
  name: "list",
  summary: "print the active legal holds",
  usage: `
Usage: mainstay holds list [--all] [--config FILE | --url URL --key KEY]

Prints one hold per line, tab-separated: id, scope, target, placed at, by, reason.

      --all           lifted holds too
${WHERE}`,
  async run(argv, io) {
    const args = parseCommandArgs(this, argv, { ...WHERE_OPTIONS, all: { type: "boolean" } }, io);
    if (!args) return 0;
    operands(args.positionals, 0, this.usage);
    const result = await withGovernanceApi(args.values, io, (api) =>
      api.call("GET", `/api/v1/legal-holds?active=${args.values.all ? "false" : "true"}`),
    );
    for (const h of result["data"] as Record<string, unknown>[]) {
      const fields = [
        h["id"],
        h["scope"],
        h["targetId"],
        h["createdAt"],
        h["createdBy"],
        h["reason"],
      ];
      io.stdout.write(`${fields.join("\t")}\n`);
    }
    return 0;
  },
};

export const holdsCommand = commandGroup("holds", "place, lift and list legal holds", [
  placeHold,
  liftHold,
  listHolds,
]);
