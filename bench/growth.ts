/**
 * `npm run bench -- growth [--sizes 10k,100k,1m]`: what the reads that used to grow with
 * stored history cost at 10k, 100k and 1M messages, on SQLite and (when
 * MAINSTAY_TEST_DATABASE_URL or DATABASE_URL is set) on PostgreSQL in a throwaway schema,
 * dropped afterwards. Data from growth-seed.ts; the rollout's evidence is then rebuilt
 * from the rows a chunk per transaction, as migration 12 does, and on SQLite the search
 * index is emptied and backfilled as migration 11 does. Reads report p50 and p99 (nearest
 * rank) over their runs, in milliseconds.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { computeRollups, MINUTE_MS } from "../src/monitoring/rollups/index.ts";
import { MINUTES_PER_PASS } from "../src/monitoring/rollups/roll-up-minutes.ts";
import { decide, evidencePaths, rolloutFacts } from "../src/rollouts/index.ts";
import { conversationsFromMarks } from "../src/rollouts/signals.ts";
import { openStore, type RolloutMark, type Store } from "../src/store/index.ts";
import { rebuildEvidenceChunk } from "../src/store/repositories/rollout-evidence-rebuild.ts";
import { backfillSearch } from "../src/store/search-index.ts";
import { benchDatabaseUrl, dropSchema } from "./bench-postgres.ts";
import { SPAN_MS, START, seed, spec } from "./growth-seed.ts";

const RUNS = 50;

const round = (ms: number) => Math.round(ms * 100) / 100;

/** p50 and p99 of `runs` calls of `fn(run)`. */
async function percentiles(fn: (run: number) => Promise<unknown>, runs = RUNS) {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await fn(run);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const rank = (p: number) => times[Math.max(0, Math.ceil(p * runs) - 1)]!;
  return { p50: round(rank(0.5)), p99: round(rank(0.99)) };
}

/**
 * Runs a chunked job a transaction per chunk, as migrations do: its total time and its
 * longest chunk (how long it held SQLite's connection at once).
 */
async function chunked(
  store: Store,
  step: (tx: Store["db"], at: string) => Promise<string | null>,
) {
  const started = performance.now();
  let longest = 0;
  let chunks = 0;
  for (let at: string | null = ""; at !== null; chunks++) {
    const from: string = at;
    const chunkStarted = performance.now();
    at = await store.transaction((tx): Promise<string | null> => step(tx.db, from));
    longest = Math.max(longest, performance.now() - chunkStarted);
  }
  return {
    total_s: round((performance.now() - started) / 1000),
    chunks,
    longest_chunk_ms: round(longest),
  };
}

/** Migration 11's backfill, again: the search tables emptied, then filled from the rows. */
async function searchBackfill(store: Store) {
  for (const table of ["messages_search", "contacts_search", "identities_search"]) {
    await store.db.run(`DELETE FROM ${table}`);
  }
  return chunked(store, backfillSearch);
}

async function measure(store: Store, messages: number) {
  const started = performance.now();
  await seed(store, messages);
  const seedS = round((performance.now() - started) / 1000);
  if (store.dialect === "postgres") await store.db.run("VACUUM ANALYZE");
  const rebuild = await chunked(store, (tx, at) => rebuildEvidenceChunk(tx, "ro_bench", at));
  const record = (await store.rollouts.get("ro_bench"))!;
  const now = START + SPAN_MS;
  const conversations = messages / 10;
  // Rare terms match one message each, a different one each run.
  const rare = (run: number) =>
    `order ${1_000_000 + 2 * Math.floor(((run + 1) * messages) / 122)})`;
  const check = async () =>
    decide(record, spec, await store.rolloutEvidence.read(record.id, record.stepStartedAt), now);
  const recompute = async () => {
    const [outcomes, turns, events] = await Promise.all([
      store.outcomes.forRollout(record.id),
      store.outcomes.turnsForRollout(record.id),
      store.outcomes.eventsForRollout(record.id),
    ]);
    return decide(record, spec, rolloutFacts(outcomes, turns, events, record.stepStartedAt), now);
  };
  const paths = async () => {
    const marks: RolloutMark[] = [];
    for (let after: RolloutMark | undefined; ; ) {
      const page = await store.rolloutEvidence.marks(record.id, after, 2000);
      marks.push(...page);
      after = page.at(-1);
      if (page.length < 2000) break;
    }
    return evidencePaths(spec, { conversations: conversationsFromMarks(marks) });
  };
  const handoffQueue = async () => {
    // The handoff queue pages through the `human` conversations, up to 1000.
    let before: string | undefined;
    for (let n = 0; n < 1000; ) {
      const page = await store.conversations.list({ state: "human", before, limit: 200 });
      n += page.length;
      before = page.at(-1)?.id;
      if (page.length < 200) break;
    }
  };
  const hour = MINUTES_PER_PASS * MINUTE_MS;
  const [incremental, fromRows] = [await check(), await recompute()];
  const found = await store.conversations.list({ search: rare(0), limit: 51 });
  return {
    messages,
    conversations,
    seed_s: seedS,
    evidence_rebuild: rebuild,
    ...(store.dialect === "sqlite" ? { search_backfill: await searchBackfill(store) } : {}),
    search_rare_ms: await percentiles((run) =>
      store.conversations.list({ search: rare(run), limit: 51 }),
    ),
    search_rare_found: found.length,
    search_common_ms: await percentiles(() =>
      store.conversations.list({ search: "damaged", limit: 51 }),
    ),
    search_moderate_ms: await percentiles(() =>
      store.conversations.list({ search: "urgent", limit: 51 }),
    ),
    search_name_ms: await percentiles((run) =>
      store.conversations.list({
        search: `Customer ${Math.floor(((run + 1) * conversations) / 53)}`,
        limit: 51,
      }),
    ),
    list_ms: await percentiles(() => store.conversations.list({ limit: 51 })),
    inbox_human_ms: await percentiles(() =>
      store.conversations.list({ state: "human", limit: 51 }),
    ),
    handoff_queue_1000_ms: await percentiles(handoffQueue, 10),
    rollout_check_ms: await percentiles(check),
    rollout_check_same_as_rows: JSON.stringify(incremental) === JSON.stringify(fromRows),
    rollout_recompute_from_rows_ms: await percentiles(recompute, messages >= 1_000_000 ? 1 : 3),
    status_paths_ms: await percentiles(paths, 3),
    // A pass rolls up one minute when it keeps up, up to an hour when catching up.
    rollups_minute_ms: await percentiles(
      (run) => computeRollups(store.db, START + run * hour, START + run * hour + MINUTE_MS),
      20,
    ),
    rollups_hour_ms: await percentiles(
      (run) => computeRollups(store.db, START + run * hour, START + (run + 1) * hour),
      20,
    ),
  };
}

function parseSizes(argv: string[]): number[] {
  const at = argv.indexOf("--sizes");
  const raw = at >= 0 ? (argv[at + 1] ?? "") : "10k,100k,1m";
  return raw.split(",").map((s) => {
    const m = /^(\d+)([km]?)$/i.exec(s.trim());
    if (!m) throw new Error(`--sizes: ${s} is not a size such as 10k or 1m`);
    const size = Number(m[1]) * ({ k: 1e3, m: 1e6 }[m[2]!.toLowerCase() as "k" | "m"] ?? 1);
    if (size % 10 !== 0) throw new Error(`--sizes: ${s} is not a multiple of 10 messages`);
    return size;
  });
}

async function onSqlite(messages: number) {
  const dir = mkdtempSync(join(tmpdir(), "mainstay-growth-"));
  const store = await openStore({ kind: "sqlite", file: join(dir, "growth.db") }, START);
  try {
    return await measure(store, messages);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function onPostgres(url: string, messages: number) {
  const schema = `bench_growth_${process.pid}`;
  const store = await openStore({ kind: "postgres", url, schema }, START);
  try {
    return await measure(store, messages);
  } finally {
    await store.close();
    await dropSchema(url, schema);
  }
}

export default async function growthBench(): Promise<Record<string, unknown>> {
  const sizes = parseSizes(process.argv);
  const url = benchDatabaseUrl();
  const result: Record<string, unknown[]> = { sqlite: [], ...(url ? { postgres: [] } : {}) };
  for (const messages of sizes) {
    process.stderr.write(`growth: sqlite, ${messages} messages\n`);
    result["sqlite"]!.push(await onSqlite(messages));
    if (url) {
      process.stderr.write(`growth: postgres, ${messages} messages\n`);
      result["postgres"]!.push(await onPostgres(url, messages));
    }
  }
  return { ...result, runs: RUNS, cores: availableParallelism() };
}
