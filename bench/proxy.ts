/**
 * `npm run bench -- proxy`: what the guarded OpenAI-compatible proxy adds to a chat
 * completion, against calling the upstream directly and against @portkey-ai/gateway routed
 * to the same upstream, at concurrency 1 and 50, JSON and streaming.
 *
 * Four processes: a fake OpenAI upstream that answers at once (node:http, prepared bytes),
 * Mainstay (`mainstay start`, examples/proxy.yaml on a temporary SQLite data dir), the
 * Portkey gateway (its own start script), and this one, which only generates load (undici
 * pools, one keep-alive connection per concurrent caller) and times each request to its
 * last byte. Every target is measured in rounds, interleaved, so drift hits all alike;
 * figures are p50/p99 of the pooled samples, and "added" is a target's figure minus the
 * direct figure of the same run. Everything listens on 127.0.0.1; every phase is bounded
 * in requests and seconds.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { Pool } from "undici";

const ROOT = resolve(import.meta.dirname, "..");
const HOST = "127.0.0.1";
const ADMIN_KEY = "bench-admin-key-0123456789abcdef";
const UPSTREAM_KEY = "sk-bench-upstream-0123456789";
const ROUNDS = 3;
/** Requests per target, per round: [warm-up, measured]. */
const COUNTS: Record<number, [number, number]> = { 1: [200, 1000], 50: [500, 3000] };
const PHASE_LIMIT_MS = 60_000;
const START_LIMIT_MS = 60_000;
const DRAIN_LIMIT_MS = 60_000;
const TARGET_ADDED_P50_MS_C1 = 0.5;

const QUESTION =
  "Hi, I ordered a phone case last Tuesday and the tracking page has not changed since. " +
  "Can you tell me when it will arrive, and whether I can still change the delivery address?";
const ANSWER =
  "Your order left our warehouse on Wednesday and is with the carrier. " +
  "Parcels usually arrive within three to five working days. " +
  "You can still change the delivery address from the tracking page until it is out for delivery.";

const requestBody = (stream: boolean) =>
  JSON.stringify({
    model: "gpt-bench",
    messages: [
      { role: "system", content: "You are the support assistant of an online shop." },
      { role: "user", content: QUESTION },
    ],
    ...(stream ? { stream: true } : {}),
  });

interface Target {
  name: "direct" | "mainstay" | "portkey";
  origin: string;
  headers: Record<string, string>;
}

interface Sample {
  latencies: number[];
  errors: number;
  elapsedMs: number;
}

export default async function proxyBench(): Promise<Record<string, unknown>> {
  // The 1-minute load average before and after: other work on the machine skews every figure.
  const loadBefore = round3(loadavg()[0]!);
  const dir = mkdtempSync(join(tmpdir(), "mainstay-bench-proxy-"));
  const children: ChildProcess[] = [];
  try {
    const upstreamPort = await startChild(children, process.execPath, [
      "--import",
      import.meta.resolve("tsx"),
      fileURLToPath(import.meta.url),
      "--serve-upstream",
    ]);
    const upstream = `http://${HOST}:${upstreamPort}`;
    const mainstayPort = await startMainstayChild(children, dir, upstream);
    const portkeyPort = await startPortkeyChild(children);
    const targets: Target[] = [
      { name: "direct", origin: upstream, headers: { authorization: `Bearer ${UPSTREAM_KEY}` } },
      {
        name: "mainstay",
        origin: `http://${HOST}:${mainstayPort}`,
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      },
      {
        name: "portkey",
        origin: `http://${HOST}:${portkeyPort}`,
        headers: {
          authorization: `Bearer ${UPSTREAM_KEY}`,
          "x-portkey-provider": "openai",
          "x-portkey-custom-host": `${upstream}/v1`,
        },
      },
    ];
    const database = new Database(join(dir, "data", "mainstay.db"), { readonly: true });
    const scenarios: Record<string, unknown> = {};
    for (const stream of [false, true]) {
      for (const concurrency of [1, 50]) {
        const name = `${stream ? "stream" : "json"}_c${concurrency}`;
        process.stderr.write(`bench: proxy ${name}...\n`);
        scenarios[name] = await measureScenario(targets, stream, concurrency, database);
      }
    }
    const recorded = await drained(database);
    database.close();
    return {
      environment: {
        node: process.version,
        cpus: cpus().length,
        loadAverage1m: { before: loadBefore, after: round3(loadavg()[0]!) },
        storage: "sqlite",
        rounds: ROUNDS,
        requestsPerRound: COUNTS,
        portkey: portkeyVersion(),
      },
      ...scenarios,
      recorded,
      target: {
        mainstayAddedP50MsAtC1: `< ${TARGET_ADDED_P50_MS_C1}`,
        mainstayAddedP50AtC50: "< portkey's",
      },
      meetsTarget: Object.fromEntries(
        Object.entries(scenarios).map(([name, s]) => {
          const { added } = s as { added: Record<string, { p50: number }> };
          const met = name.endsWith("_c1")
            ? added["mainstay"]!.p50 < TARGET_ADDED_P50_MS_C1
            : added["mainstay"]!.p50 < added["portkey"]!.p50;
          return [name, met];
        }),
      ),
    };
  } finally {
    await Promise.all(children.map(stopChild));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measureScenario(
  targets: Target[],
  stream: boolean,
  concurrency: number,
  database: Database.Database,
) {
  const [warmup, measured] = COUNTS[concurrency]!;
  const body = requestBody(stream);
  const pools = new Map(
    targets.map((t) => [t.name, new Pool(t.origin, { connections: concurrency, pipelining: 1 })]),
  );
  const samples = new Map<string, Sample[]>(targets.map((t) => [t.name, []]));
  let backlog = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const target of targets) {
        const pool = pools.get(target.name)!;
        await load(pool, target, body, concurrency, warmup);
        samples.get(target.name)!.push(await load(pool, target, body, concurrency, measured));
        if (target.name === "mainstay") backlog = Math.max(backlog, pendingJobs(database));
      }
    }
  } finally {
    await Promise.all([...pools.values()].map((p) => p.close()));
  }
  const figures = Object.fromEntries(
    [...samples].map(([name, runs]) => [name, summarize(runs, concurrency)]),
  );
  const direct = figures["direct"]!;
  const added = Object.fromEntries(
    targets
      .filter((t) => t.name !== "direct")
      .map((t) => {
        const f = figures[t.name]!;
        return [t.name, { p50: round3(f.p50 - direct.p50), p99: round3(f.p99 - direct.p99) }];
      }),
  );
  return {
    latencyMs: figures,
    added,
    ratioToDirect: Object.fromEntries(
      targets
        .filter((t) => t.name !== "direct")
        .map((t) => [
          t.name,
          {
            p50: round3(figures[t.name]!.p50 / direct.p50),
            p99: round3(figures[t.name]!.p99 / direct.p99),
          },
        ]),
    ),
    mainstayAddedToPortkeyAdded: {
      p50: round3(added["mainstay"]!.p50 / added["portkey"]!.p50),
      p99: round3(added["mainstay"]!.p99 / added["portkey"]!.p99),
    },
    mainstayRecordJobsPendingAfterPhase: backlog,
  };
}

/** `count` requests by `concurrency` callers, each timed from send to the last body byte. */
async function load(
  pool: Pool,
  target: Target,
  body: string,
  concurrency: number,
  count: number,
): Promise<Sample> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + PHASE_LIMIT_MS;
  const headers = { "content-type": "application/json", ...target.headers };
  async function caller() {
    while (next < count && performance.now() < deadline) {
      next++;
      const t0 = performance.now();
      try {
        const res = await pool.request({
          path: "/v1/chat/completions",
          method: "POST",
          headers,
          body,
        });
        const text = await res.body.text();
        const ok =
          res.statusCode === 200 && (text.includes("[DONE]") || text.includes('"choices"'));
        if (ok) latencies.push(performance.now() - t0);
        else errors++;
      } catch {
        errors++;
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, caller));
  return { latencies, errors, elapsedMs: performance.now() - started };
}

function summarize(runs: Sample[], concurrency: number) {
  const all = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const at = (q: number) => all[Math.min(all.length - 1, Math.floor(q * all.length))] ?? NaN;
  const elapsed = runs.reduce((s, r) => s + r.elapsedMs, 0);
  return {
    p50: round3(at(0.5)),
    p99: round3(at(0.99)),
    requestsPerSec: Math.round((all.length / elapsed) * 1000),
    requests: all.length,
    errors: runs.reduce((s, r) => s + r.errors, 0),
    concurrency,
  };
}

/** Record jobs still waiting when a phase ends: whether recording keeps up with the load. */
function pendingJobs(database: Database.Database): number {
  const row = database
    .prepare("SELECT COUNT(*) AS n FROM jobs WHERE status IN ('ready', 'running')")
    .get() as { n: number };
  return row.n;
}

/** Wait (bounded) for the recording to catch up, then count what was stored. */
async function drained(database: Database.Database) {
  const started = performance.now();
  let pending = pendingJobs(database);
  while (pending > 0 && performance.now() - started < DRAIN_LIMIT_MS) {
    await new Promise((r) => setTimeout(r, 100));
    pending = pendingJobs(database);
  }
  const messages = database
    .prepare("SELECT COUNT(*) AS n FROM messages WHERE channel_id = 'proxy'")
    .get() as { n: number };
  const dead = database.prepare("SELECT COUNT(*) AS n FROM jobs WHERE status = 'dead'").get() as {
    n: number;
  };
  return {
    proxyMessages: messages.n,
    jobsPendingAfterDrain: pending,
    deadJobs: dead.n,
    drainMs: Math.round(performance.now() - started),
  };
}

/**
 * examples/proxy.yaml as a user runs it, pointed at the fake upstream by its variables;
 * the working directory is this run's, so the data dir (`./data`) is too.
 */
async function startMainstayChild(children: ChildProcess[], dir: string, upstream: string) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      // Resolved here: the child's working directory has no node_modules.
      "--import",
      import.meta.resolve("tsx"),
      join(ROOT, "src/cli/main.ts"),
      "start",
      "--config",
      join(ROOT, "examples/proxy.yaml"),
    ],
    {
      cwd: dir,
      env: {
        ...process.env,
        PORT: String(port),
        OPENAI_BASE_URL: `${upstream}/v1`,
        OPENAI_API_KEY: UPSTREAM_KEY,
        MAINSTAY_ADMIN_KEY: ADMIN_KEY,
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  children.push(child);
  await waitUntilUp(child, `http://${HOST}:${port}/readyz`);
  return port;
}

async function startPortkeyChild(children: ChildProcess[]) {
  const port = await freePort();
  const script = join(ROOT, "node_modules/@portkey-ai/gateway/build/start-server.js");
  const child = spawn(process.execPath, [script, `--port=${port}`, "--headless"], {
    env: { ...process.env, NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.push(child);
  await waitUntilUp(child, `http://${HOST}:${port}/`);
  return port;
}

/** Spawn a child that prints its port on its first stdout line. */
function startChild(children: ChildProcess[], command: string, args: string[]) {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  return new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(" ")}: no port`)), 30_000);
    child.once("exit", (code) => reject(new Error(`${args.join(" ")} exited with ${code}`)));
    child.stdout!.once("data", (data: Buffer) => {
      clearTimeout(timer);
      resolvePort(Number(data.toString().trim()));
    });
  });
}

async function waitUntilUp(child: ChildProcess, url: string) {
  const started = performance.now();
  while (performance.now() - started < START_LIMIT_MS) {
    if (child.exitCode !== null) throw new Error(`${url}: server exited (${child.exitCode})`);
    try {
      const res = await fetch(url);
      await res.body?.cancel();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up within ${START_LIMIT_MS} ms`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      done();
    });
    child.kill("SIGTERM");
  });
}

function freePort(): Promise<number> {
  return new Promise((done, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}

function portkeyVersion(): string {
  const file = join(ROOT, "node_modules/@portkey-ai/gateway/package.json");
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

// --- the fake upstream (this file run with --serve-upstream) -----------------------------

/**
 * OpenAI's Chat Completions wire format (platform.openai.com/docs/api-reference/chat), the
 * answer prepared once: JSON, or SSE word by word as real servers split it.
 */
function fakeUpstream(): Server {
  const created = Math.floor(Date.now() / 1000);
  const json = Buffer.from(
    JSON.stringify({
      id: "chatcmpl-bench",
      object: "chat.completion",
      created,
      model: "gpt-bench",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: ANSWER },
          finish_reason: "stop",
          logprobs: null,
        },
      ],
      usage: { prompt_tokens: 60, completion_tokens: 45, total_tokens: 105 },
    }),
  );
  const chunk = (delta: Record<string, unknown>, finish: string | null) =>
    `data: ${JSON.stringify({
      id: "chatcmpl-bench",
      object: "chat.completion.chunk",
      created,
      model: "gpt-bench",
      choices: [{ index: 0, delta, finish_reason: finish }],
    })}\n\n`;
  const words = ANSWER.match(/\s*\S+\s*/g) ?? [];
  const sse = Buffer.from(
    [
      chunk({ role: "assistant", content: "" }, null),
      ...words.map((w) => chunk({ content: w }, null)),
      chunk({}, "stop"),
      "data: [DONE]\n\n",
    ].join(""),
  );
  return createServer((req, res) => {
    let size = 0;
    let streamed = false;
    req.on("data", (data: Buffer) => {
      size += data.length;
      // `"stream":true` sits in the last few bytes of every body this bench sends.
      if (!streamed) streamed = data.includes('"stream":true');
    });
    req.on("end", () => {
      if (req.method !== "POST" || size === 0) {
        res.writeHead(404, { "content-type": "application/json" });
        res.end('{"error":{"message":"not found","type":"invalid_request_error"}}');
        return;
      }
      if (streamed) {
        res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
        res.end(sse);
      } else {
        res.writeHead(200, { "content-type": "application/json", "content-length": json.length });
        res.end(json);
      }
    });
  });
}

if (process.argv.includes("--serve-upstream")) {
  const server = fakeUpstream();
  server.keepAliveTimeout = 60_000;
  server.listen(0, HOST, () => {
    process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
  });
  process.once("SIGTERM", () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
