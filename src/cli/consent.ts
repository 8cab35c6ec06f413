import { consentRoutes } from "../api/routes/consent.ts";
import { systemClock } from "../shared/clock.ts";
import { type MountRoutes, WHERE, WHERE_OPTIONS, withApi } from "./api-client.ts";
import { type Command, commandGroup, parseCommandArgs } from "./command.ts";

const mountConsent: MountRoutes = async (app, store) => {
  await app.register(consentRoutes, { store, clock: systemClock });
};

type Revocation = Record<string, unknown> & { queued: string[]; sentAfter: string[] };

function statusOf(r: Revocation): string {
  if (r["overdue"]) return "overdue";
  return r["honoured"] ? "honoured" : "pending";
}

const report: Command = {
  name: "report",
  summary: "revocations and whether each was honoured within 10 business days",
  usage: `
Usage: mainstay consent report [--pending] [--config FILE | --url URL --key KEY]

Prints one revocation per line, tab-separated: seq, time (UTC), purpose, scope, channel,
address (- for scope all), contact, deadline, status (honoured, pending or overdue), and
how many covered messages are still queued and were sent after it. Exits 1 when any is
overdue, so a scheduled run can alert.

      --pending     only revocations not yet honoured everywhere
${WHERE}`,
  async run(argv, io) {
    const options = { ...WHERE_OPTIONS, pending: { type: "boolean" } } as const;
    const args = parseCommandArgs(this, argv, options, io);
    if (!args) return 0;
    const pending = args.values.pending === true;
    let overdue = false;
    await withApi(args.values, io, mountConsent, async (api) => {
      for (let cursor: string | null = ""; cursor !== null; ) {
        const query = new URLSearchParams({ pending: String(pending), limit: "200" });
        if (cursor) query.set("cursor", cursor);
        const page = await api.call("GET", `/api/v1/consent/revocations?${query}`);
        for (const r of page["data"] as Revocation[]) {
          overdue ||= r["overdue"] === true;
          const address = r["scope"] === "all" ? "-" : r["address"];
          const fields = [r["seq"], r["createdAt"], r["purpose"], r["scope"], r["channelId"]];
          fields.push(address, r["contactId"], r["deadline"], statusOf(r));
          fields.push(r.queued.length, r.sentAfter.length);
          io.stdout.write(`${fields.join("\t")}\n`);
        }
        cursor = page["nextCursor"] as string | null;
      }
    });
    return overdue ? 1 : 0;
  },
};

export const consentCommand = commandGroup("consent", "report on the consent ledger", [report]);
