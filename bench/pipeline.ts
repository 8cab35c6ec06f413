/**
 * `npm run bench -- pipeline`: signed generic-webhook inbound -> built-in agent -> reply
 * stored in the outbox, on SQLite, with autocannon at 50 connections. A bare `node:http`
 * hello-world server is measured the same way in the same run, so the ratio says how much
 * of the machine's plain HTTP capacity one message through the whole pipeline costs.
 *
 * Load and server share this process (as they do for the hello-world baseline), and the
 * generic channel has no callbackUrl, so delivery is a no-op: we measure up to the stored reply.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import autocannon from "autocannon";
import pino from "pino";
import { signGenericBody } from "../src/channels/index.ts";
import { parseConfigText } from "../src/config/index.ts";
import { jobQueue } from "../src/jobs/index.ts";
import { type Mainstay, startMainstay } from "../src/main.ts";
import { StatementCounter } from "../src/store/index.ts";

const CONNECTIONS = 50;
const DURATION_SECONDS = 10;
const WARMUP_SECONDS = 2;
const CUSTOMERS = 500;
const TARGET_RATIO = 0.25;
const DRAIN_TIMEOUT_MS = 120_000;
const SECRET = "bench-channel-secret-0123456789";
const KNOWLEDGE_DIR = resolve(import.meta.dirname, "../examples/knowledge");

/**
 * What customers write, each answered from the knowledge base (or greeted): a handoff would
 * take that customer away from the bot for the rest of the run, and skip the reply.
 */
const QUESTIONS = [
  "Hi, how long does delivery usually take?",
  "where is my package?? ordered 3 days ago",
  "Can I cancel my order? I put the wrong address",
  "Do you ship to Canada?",
  "My parcel says delivered but I never got it",
  "What's your return policy for phones?",
  "How do I get a return label?",
  "still waiting for my refund, when will it arrive",
  "Can I swap my phone for a different colour?",
  "how long is the warranty on a new phone",
  "What plans do you have and how much are they?",
  "I want to upgrade my plan to unlimited",
  "why is my bill higher this month",
  "Can I keep my number if I switch from another carrier?",
  "Does my plan work when I'm travelling in Mexico?",
  "my screen is cracked, can you fix it today?",
  "Battery drains really fast, can you replace it?",
  "How do I set up an eSIM on my new phone?",
  "hello",
  "do you take paypal or apple pay?",
];

export default async function pipelineBench(): Promise<Record<string, unknown>> {
  const helloWorld = await measureHelloWorld();
  const pipeline = await measurePipeline();
  const ratio = pipeline.pipelineMessagesPerSec / helloWorld.requestsPerSec;
  return {
    environment: {
      node: process.version,
      cpus: cpus().length,
      storage: "sqlite",
      connections: CONNECTIONS,
      durationSeconds: DURATION_SECONDS,
    },
    helloWorld,
    ...pipeline,
    ratio: round(ratio, 3),
    target: TARGET_RATIO,
    meetsTarget: ratio >= TARGET_RATIO,
  };
}

async function measureHelloWorld() {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("hello world");
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  try {
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no TCP address");
    const url = `http://127.0.0.1:${address.port}`;
    progress(`hello world: warm-up ${WARMUP_SECONDS}s`);
    await load({ url }, WARMUP_SECONDS);
    progress(`hello world: ${CONNECTIONS} connections for ${DURATION_SECONDS}s`);
    const result = expectAllOk("hello world", await load({ url }, DURATION_SECONDS));
    return {
      requestsPerSec: Math.round(result.requests.mean),
      latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
    };
  } finally {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
}

async function measurePipeline() {
  const dataDir = mkdtempSync(join(tmpdir(), "mainstay-bench-"));
  let mainstay: Mainstay | undefined;
  const counter = new StatementCounter();
  try {
    mainstay = await startMainstay(parseConfigText(configYaml(dataDir), join(dataDir, "b.yaml")), {
      store: { kind: "sqlite", file: join(dataDir, "mainstay.db"), statements: counter },
      port: 0,
      host: "127.0.0.1",
      env: { MAINSTAY_ADMIN_KEY: "bench-admin-key-0123456789" },
      logger: pino({ level: "silent" }),
    });
    const queue = jobQueue(mainstay.store.db);
    const options = { url: mainstay.url, requests: [{ setupRequest: signedInbound() }] };

    progress(`pipeline: warm-up ${WARMUP_SECONDS}s`);
    await load(options, WARMUP_SECONDS);
    await drain(() => queue.pendingCount());
    const before = await answeredCount(mainstay);
    const counted = counter.snapshot();

    progress(`pipeline: ${CONNECTIONS} connections for ${DURATION_SECONDS}s`);
    const started = performance.now();
    const result = expectAllOk("pipeline", await load(options, DURATION_SECONDS));
    const loadSeconds = (performance.now() - started) / 1000;
    await drain(() => queue.pendingCount());
    const totalSeconds = (performance.now() - started) / 1000;
    const repliesStored = (await answeredCount(mainstay)) - before;
    const spent = counter.snapshot();
    const accepted = result["2xx"];
    if (repliesStored < accepted) {
      throw new Error(`pipeline: ${accepted} messages accepted but only ${repliesStored} replies`);
    }
    return {
      accepted,
      non2xx: result.non2xx,
      repliesStored,
      webhookRequestsPerSec: Math.round(result.requests.mean),
      webhookLatencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
      pipelineMessagesPerSec: Math.round(repliesStored / totalSeconds),
      drainSeconds: round(totalSeconds - loadSeconds, 2),
      // The queue polls while draining are counted too: a few per second, against thousands.
      statementsPerMessage: round((spent.total - counted.total) / accepted, 1),
      commitsPerMessage: round((spent.writeTransactions - counted.writeTransactions) / accepted, 2),
      statementTarget: 15,
      commitTarget: 2,
    };
  } finally {
    await mainstay?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function configYaml(dataDir: string): string {
  return `
server: { host: 127.0.0.1, port: 0 }
storage: { dataDir: ${JSON.stringify(dataDir)} }
agent: { id: support, version: "1", type: builtin, knowledgeDir: ${JSON.stringify(KNOWLEDGE_DIR)} }
channels:
  - { id: api, type: generic, secret: ${SECRET} }
outbox: { concurrency: 8, pollIntervalMs: 10 }
# Measured: the answering path. A frustration handoff would leave later questions of that
# customer unanswered by design, so it is off here (the guardrails policy stays on).
handoff: { negativeSentimentStreak: 0 }
# Measured: throughput, so 500 customers each sending many messages are not over a limit,
# and each message's job runs at once (lines arriving while the agent answers are still
# answered together, counted as answered below).
limits: { coalesceMs: 0, perSender: { points: 0, seconds: 60 }, perContact: { points: 0, seconds: 60 } }
`;
}

/** Each request a new message id (else dedupe answers it), a customer and a question. */
function signedInbound(): (request: autocannon.Request) => autocannon.Request {
  let n = 0;
  return (request) => {
    n++;
    const body = JSON.stringify({
      id: `bench-${n}`,
      from: `+1555${String(n % CUSTOMERS).padStart(7, "0")}`,
      text: QUESTIONS[n % QUESTIONS.length]!,
    });
    return {
      ...request,
      method: "POST",
      path: "/webhooks/api",
      headers: {
        "content-type": "application/json",
        "x-mainstay-signature": signGenericBody(SECRET, body),
      },
      body,
    };
  };
}

function load(
  options: Pick<autocannon.Options, "url" | "requests">,
  seconds: number,
): Promise<autocannon.Result> {
  if (!options.url.startsWith("http://127.0.0.1:")) {
    throw new Error(`refusing to load ${options.url}: benches only target 127.0.0.1`);
  }
  return autocannon({ ...options, connections: CONNECTIONS, duration: seconds });
}

function expectAllOk(what: string, result: autocannon.Result): autocannon.Result {
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${what}: ${result.non2xx} non-2xx responses and ${result.errors} errors`);
  }
  return result;
}

async function drain(pending: () => Promise<number>): Promise<void> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  for (;;) {
    const left = await pending();
    if (left === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`job queue did not drain within ${DRAIN_TIMEOUT_MS / 1000}s (${left} left)`);
    }
    await new Promise((done) => setTimeout(done, 20));
  }
}

/** Customer messages answered: one per reply, plus the other lines a reply covers. */
async function answeredCount(app: Mainstay): Promise<number> {
  const rows = await app.store.db.all<{ meta: string }>(
    "SELECT meta FROM messages WHERE direction = 'outbound'",
  );
  let answered = 0;
  for (const { meta } of rows) {
    const covers = (JSON.parse(meta) as { covers?: unknown[] }).covers;
    answered += covers ? covers.length : 1;
  }
  return answered;
}

function progress(line: string): void {
  process.stderr.write(`  ${line}\n`);
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
