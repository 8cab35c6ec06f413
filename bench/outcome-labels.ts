/**
 * `npm run bench -- outcome_labels`: what `GET /api/v1/agents/{id}/outcomes` costs over 30
 * days holding 100k conversations (1M messages and events, growth-seed.ts), on SQLite and
 * (when MAINSTAY_TEST_DATABASE_URL or DATABASE_URL is set) on PostgreSQL in a throwaway
 * schema. Reports the facts query and the labelling apart, in milliseconds (best of 3).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { countOutcomes } from "../src/api/routes/agents-overview.ts";
import { DEFAULT_OUTCOME_LABEL_SETTINGS } from "../src/conversations/index.ts";
import { openStore, type Store } from "../src/store/index.ts";
import { benchDatabaseUrl, dropSchema } from "./bench-postgres.ts";
import { SPAN_MS, START, seed } from "./growth-seed.ts";

const MESSAGES = 1_000_000;
const round = (ms: number) => Math.round(ms);

async function measure(store: Store) {
  await seed(store, MESSAGES);
  if (store.dialect === "postgres") await store.db.run("VACUUM ANALYZE");
  const now = START + SPAN_MS;
  let query = Number.POSITIVE_INFINITY;
  let label = Number.POSITIVE_INFINITY;
  let conversations = 0;
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    const facts = await store.outcomes.factsForAgent("support", { from: START, to: now }, 100_001);
    const queried = performance.now();
    countOutcomes(facts, DEFAULT_OUTCOME_LABEL_SETTINGS, now);
    query = Math.min(query, queried - started);
    label = Math.min(label, performance.now() - queried);
    conversations = facts.length;
  }
  return { conversations, facts_query_ms: round(query), labelling_ms: round(label) };
}

export default async function outcomeLabels() {
  const result: Record<string, unknown> = {};
  const dir = mkdtempSync(join(tmpdir(), "mainstay-outcomes-bench-"));
  const sqlite = await openStore({ kind: "sqlite", file: join(dir, "bench.db") }, START);
  try {
    result["sqlite"] = await measure(sqlite);
  } finally {
    await sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const url = benchDatabaseUrl();
  if (url) {
    const schema = `bench_outcomes_${process.pid}`;
    const store = await openStore({ kind: "postgres", url, schema }, START);
    try {
      result["postgres"] = await measure(store);
    } finally {
      await store.close();
      await dropSchema(url, schema);
    }
  }
  return result;
}
