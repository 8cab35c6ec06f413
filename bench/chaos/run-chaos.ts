import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pg from "pg";
import { type Random, seededRandom } from "../../src/shared/random.ts";
import { InstancePool } from "./instance-pool.ts";
import { computeLedger, type MessageLedger, percentile, readStoredRows } from "./ledger.ts";
import { startVendorStandIn, type VendorFaults } from "./vendor-stand-in.ts";
import { driveWebchat } from "./webchat-load.ts";
import { driveWebhooks } from "./webhook-load.ts";

export interface ChaosOptions {
  /** A PostgreSQL on this machine; the run works in a throwaway schema it drops after. */
  databaseUrl: string;
  instances: number;
  senders: number;
  messagesPerSender: number;
  webchatSessions: number;
  /** SIGKILLs, spread over the load by progress, each followed by a restart. */
  kills: number;
  /** Once, halfway: end this run's database connections with pg_terminate_backend. */
  terminateBackends: boolean;
  faults: VendorFaults;
  seed: number;
  /** Hard limit: load stops being sent after this long, whatever is left. */
  maxSeconds: number;
  /** How long to wait afterwards for the queue to drain before counting. */
  drainSeconds: number;
  /** `intake.mode` of the instances (docs/channels.md#queued-intake). */
  intake: "direct" | "queued";
}

export const DEFAULT_CHAOS_OPTIONS: Omit<ChaosOptions, "databaseUrl"> = {
  instances: 3,
  senders: 40,
  messagesPerSender: 8,
  webchatSessions: 30,
  kills: 6,
  terminateBackends: false,
  faults: { error: 0.05, rateLimited: 0.02, timeout: 0.02, slow: 0.1 },
  seed: 16,
  maxSeconds: 150,
  drainSeconds: 45,
  intake: "direct",
};

export interface ChaosLedger extends MessageLedger {
  options: Omit<ChaosOptions, "databaseUrl">;
  durationMs: number;
  /** The queue was empty when counting began (else `lost` may include work in flight). */
  drained: boolean;
  latencyMs: {
    /** Webhook call to 2xx, retries to other instances included, under the faults. */
    accept: { p50: number | null; p99: number | null };
    /** 2xx to the vendor taking the reply. */
    reply: { p50: number | null; p99: number | null };
  };
  recoveryMs: {
    /** SIGKILL until the restarted instance serves again. */
    restart: { count: number; p50: number | null; max: number | null };
    /** pg_terminate_backend until every instance answers /readyz 200 again. */
    backendTermination: number | null;
  };
  faults: {
    kills: number;
    backendsTerminated: number;
    vendorAnswers: Record<string, number>;
    webhookAnswers: Record<string, number>;
  };
  /** Instances that exited without being killed by the harness. */
  crashes: { instance: number; exit: number | string; lastOutput: string }[];
  /** Faults the harness could not play (an instance that would not start again). */
  faultErrors: string[];
}

const SECRET = "chaos-channel-secret-0123456789";
const ADMIN_KEY = "chaos-admin-key-0123456789";
const KNOWLEDGE_DIR = resolve(import.meta.dirname, "../../examples/knowledge");

/**
 * Start the instances on a throwaway schema, drive the load while killing them, wait for
 * the queue to drain, count. Everything it started is stopped and removed, on failure too.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosLedger> {
  const started = Date.now();
  const { databaseUrl, ...shown } = options;
  assertLocal(databaseUrl);
  const random = seededRandom(options.seed);
  const schema = `chaos_${process.pid}_${Math.floor(random.next() * 1e9)}`;
  const dir = mkdtempSync(join(tmpdir(), "mainstay-chaos-"));
  const admin = new pg.Client({ connectionString: databaseUrl, application_name: "chaos-admin" });
  await admin.connect();
  // The queued intake's lookups, many at once: their own connections, not the admin's.
  const lookups = new pg.Pool({
    connectionString: databaseUrl,
    application_name: "chaos-admin",
    max: 4,
  });
  const vendor = await startVendorStandIn({ faults: options.faults, random, hangMs: 2500 });
  let pool: InstancePool | undefined;
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
    const configFile = join(dir, "mainstay.yaml");
    writeFileSync(configFile, chaosConfig(vendor.url, options.intake));
    pool = new InstancePool({
      count: options.instances,
      configFile,
      dir,
      env: {
        DATABASE_URL: instanceUrl(databaseUrl, schema),
        MAINSTAY_ADMIN_KEY: ADMIN_KEY,
        MAINSTAY_LOG_LEVEL: "error",
      },
    });
    await pool.startAll();
    const chaos = new FaultSchedule(pool, admin, schema, options, random);
    const deadline = Date.now() + options.maxSeconds * 1000;
    const liveUrls = () => pool!.liveUrls();
    const [load, sessions] = await Promise.all([
      driveWebhooks({
        liveUrls,
        vendor,
        secret: SECRET,
        senders: options.senders,
        messagesPerSender: options.messagesPerSender,
        replyWaitMs: 10_000,
        deadline,
        random,
        onAccepted: () => chaos.progress(),
        conversationOf: (id) => storedConversationOf(lookups, schema, id, deadline + 30_000),
      }),
      driveWebchat({ liveUrls, sessions: options.webchatSessions, liveWaitMs: 15_000, random }),
    ]);
    await chaos.settled();
    const drained = await drain(admin, schema, options.drainSeconds * 1000);
    await admin.query(`SET search_path = ${schema}`);
    const rows = await readStoredRows(admin);
    await admin.query("SET search_path = public");
    const ledger = computeLedger({
      accepted: load.accepted,
      delivered: vendor.delivered,
      sessions,
      rows,
    });
    return {
      options: shown,
      durationMs: Date.now() - started,
      drained,
      ...ledger,
      latencyMs: {
        accept: { p50: percentile(load.acceptMs, 50), p99: percentile(load.acceptMs, 99) },
        reply: { p50: percentile(load.replyMs, 50), p99: percentile(load.replyMs, 99) },
      },
      recoveryMs: chaos.recovery(),
      faults: {
        kills: chaos.kills.length,
        backendsTerminated: chaos.backendsTerminated,
        vendorAnswers: vendor.answers,
        webhookAnswers: load.answers,
      },
      crashes: pool.crashes,
      faultErrors: chaos.errors,
    };
  } finally {
    await pool?.stopAll();
    await vendor.close();
    await lookups.end().catch(() => undefined);
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Kills at even steps of progress (accepted messages), so a run kills as often whatever
 * the machine's speed; each kill picks a random instance while another one is up.
 */
class FaultSchedule {
  readonly kills: number[] = [];
  /** Faults that could not be played (a restart that failed), as messages. */
  readonly errors: string[] = [];
  backendsTerminated = 0;
  private terminationRecovery: number | null = null;
  private accepted = 0;
  private killsQueued = 0;
  private terminationQueued = false;
  private running: Promise<void> = Promise.resolve();
  private readonly total: number;

  constructor(
    private readonly pool: InstancePool,
    private readonly admin: pg.Client,
    private readonly schema: string,
    private readonly options: ChaosOptions,
    private readonly random: Random,
  ) {
    this.total = options.senders * options.messagesPerSender;
  }

  /** Called once per accepted message. */
  progress(): void {
    this.accepted++;
    const { kills, terminateBackends } = this.options;
    const due = Math.min(kills, Math.floor((this.accepted * (kills + 1)) / this.total));
    for (; this.killsQueued < due; this.killsQueued++) this.play(() => this.kill());
    if (terminateBackends && !this.terminationQueued && this.accepted * 2 >= this.total) {
      this.terminationQueued = true;
      this.play(() => this.terminate());
    }
  }

  /** One fault after the other, so a restart is over before the next kill. */
  private play(fault: () => Promise<void>): void {
    this.running = this.running.then(fault).catch((e: Error) => {
      this.errors.push(e.message);
    });
  }

  private async kill(): Promise<void> {
    if (this.pool.liveUrls().length < 2) return;
    const index = Math.floor(this.random.next() * this.options.instances);
    const downMs = 200 + Math.floor(this.random.next() * 800);
    this.kills.push(await this.pool.killAndRestart(index, downMs));
  }

  private async terminate(): Promise<void> {
    const at = Date.now();
    const result = await this.admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE application_name = $1 AND pid <> pg_backend_pid()`,
      [this.schema],
    );
    this.backendsTerminated = result.rowCount ?? 0;
    this.terminationRecovery = await allReady(this.pool, 30_000).then((ok) =>
      ok ? Date.now() - at : null,
    );
  }

  /** Resolves once every fault started has played out (restarts included). */
  settled(): Promise<void> {
    return this.running;
  }

  recovery(): ChaosLedger["recoveryMs"] {
    return {
      restart: {
        count: this.kills.length,
        p50: percentile(this.kills, 50),
        max: this.kills.length ? Math.max(...this.kills) : null,
      },
      backendTermination: this.terminationRecovery,
    };
  }
}

async function allReady(pool: InstancePool, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const answers = await Promise.all(
      pool.liveUrls().map((url) =>
        fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) }).then(
          (r) => r.status,
          () => 0,
        ),
      ),
    );
    if (answers.every((s) => s === 200)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

async function drain(admin: pg.Client, schema: string, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await admin.query(
      `SELECT count(*)::int AS n FROM ${schema}.jobs WHERE status IN ('ready', 'running')`,
    );
    if (rows[0].n === 0) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Connections in `schema`, named after it so pg_terminate_backend ends this run's only. */
function instanceUrl(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set("options", `-c search_path=${schema}`);
  u.searchParams.set("application_name", schema);
  return u.toString();
}

function assertLocal(url: string): void {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "[::1]", "::1"].includes(host)) {
    throw new Error(`chaos runs against a PostgreSQL on this machine only, not ${host}`);
  }
}

/**
 * Short retries and a 10 s lease, so a killed instance's jobs come back within the run;
 * limits off, since every simulated customer comes from 127.0.0.1.
 */
/**
 * The conversation a job stored inbound message `id` in (the queued intake), polled until
 * `until`: its job may wait for a killed instance's lease to run out first.
 */
async function storedConversationOf(
  db: pg.Pool,
  schema: string,
  id: string,
  until: number,
): Promise<string | undefined> {
  while (Date.now() < until) {
    const { rows } = await db.query<{ conversation_id: string }>(
      `SELECT conversation_id FROM ${schema}.messages
       WHERE channel_id = 'api' AND provider_message_id = $1 AND direction = 'inbound'`,
      [id],
    );
    if (rows[0]) return rows[0].conversation_id;
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}

function chaosConfig(vendorUrl: string, intake: ChaosOptions["intake"]): string {
  const off = (seconds: number) => `{ points: 0, seconds: ${seconds} }`;
  return `
server: { host: 127.0.0.1, port: 0, egress: { allow: ["127.0.0.0/8", "::1", localhost] } }
intake: { mode: ${intake} }
storage: { dataDir: "\${CHAOS_DATA_DIR}" }
agent: { id: support, version: "1", type: builtin, knowledgeDir: ${JSON.stringify(KNOWLEDGE_DIR)} }
channels:
  - { id: web, type: webchat }
  - id: api
    type: generic
    secret: ${SECRET}
    callbackUrl: ${vendorUrl}
    callbackTimeoutMs: 1500
    requireTimestamp: true
outbox: { maxAttempts: 40, baseDelayMs: 50, maxDelayMs: 1000, pollIntervalMs: 200, leaseMs: 10000 }
limits:
  coalesceMs: 0
  perSender: ${off(60)}
  perContact: ${off(60)}
  webchat: { sessionsPerAddress: ${off(3600)}, socketsPerAddress: 10000 }
console: { enabled: false }
`;
}
