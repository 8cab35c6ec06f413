/**
 * `npm run chaos`: several Mainstay instances on a throwaway schema of a local PostgreSQL,
 * a failing vendor stand-in, bounded signed load, instances SIGKILLed and restarted; prints
 * ONE JSON ledger on stdout and exits 1 when a message was lost or answered twice.
 * The PostgreSQL server is never restarted: `--terminate-backends` ends this run's own
 * connections with pg_terminate_backend instead. See docs/operations.md#chaos-runs.
 */
import { parseArgs } from "node:util";
import { DEFAULT_CHAOS_OPTIONS, runChaos } from "./chaos/run-chaos.ts";

const { values } = parseArgs({
  options: {
    "database-url": { type: "string" },
    instances: { type: "string" },
    senders: { type: "string" },
    messages: { type: "string" },
    webchat: { type: "string" },
    kills: { type: "string" },
    "terminate-backends": { type: "boolean", default: false },
    seed: { type: "string" },
    "max-seconds": { type: "string" },
    intake: { type: "string" },
  },
});

const databaseUrl = values["database-url"] ?? process.env["MAINSTAY_TEST_DATABASE_URL"];
if (!databaseUrl) {
  process.stderr.write("set MAINSTAY_TEST_DATABASE_URL or pass --database-url (local only)\n");
  process.exit(2);
}
const count = (value: string | undefined, fallback: number, name: string) => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`--${name}: expected a whole number, got "${value}"\n`);
    process.exit(2);
  }
  return n;
};
const d = DEFAULT_CHAOS_OPTIONS;
const intake = values.intake ?? d.intake;
if (intake !== "direct" && intake !== "queued") {
  process.stderr.write(`--intake: expected direct or queued, got "${intake}"\n`);
  process.exit(2);
}
const ledger = await runChaos({
  ...d,
  databaseUrl,
  instances: Math.max(2, count(values.instances, d.instances, "instances")),
  senders: count(values.senders, d.senders, "senders"),
  messagesPerSender: count(values.messages, d.messagesPerSender, "messages"),
  webchatSessions: count(values.webchat, d.webchatSessions, "webchat"),
  kills: count(values.kills, d.kills, "kills"),
  terminateBackends: values["terminate-backends"],
  seed: count(values.seed, d.seed, "seed"),
  maxSeconds: count(values["max-seconds"], d.maxSeconds, "max-seconds"),
  intake,
});
process.stdout.write(`${JSON.stringify(ledger, null, 2)}\n`);
process.exit(ledger.lost > 0 || ledger.duplicates.acrossKeys > 0 ? 1 : 0);
