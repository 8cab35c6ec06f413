import type { Logger } from "pino";
import { Gauge, type Registry } from "prom-client";
import type { CircuitState } from "../../agents/middleware/index.ts";
import type { QueueStat } from "../../jobs/index.ts";
import type { Clock } from "../../shared/clock.ts";
import { sharedPerScrape } from "./shared-per-scrape.ts";

/** A live rollout's position, read at scrape time. */
export interface RolloutStep {
  agent: string;
  rollout: string;
  /** Index of the current step in the rollout's spec. */
  step: number;
  /** The candidate's share of new conversations at this step, 0..1. */
  share: number;
}

/** What a circuit-breaker gauge reads: one breaker, wherever it sits in a chain. */
export interface WatchedBreaker {
  labels: { agent: string; version: string; provider: string; model: string };
  state(): CircuitState;
}

export interface ScrapeSources {
  /** Where queue depth and age come from (`jobQueue(...).stats`). */
  queueStats: (now: number) => Promise<QueueStat[]>;
  /** The live rollouts' steps; absent, no rollout series is exposed. */
  rolloutSteps?: () => Promise<RolloutStep[]>;
  clock: Clock;
  logger: Logger;
}

const CIRCUIT_STATES: readonly CircuitState[] = ["closed", "half_open", "open"];

/**
 * Gauges whose value is read when `/metrics` is scraped, not recorded as things happen:
 * queue depth and age (from the shared jobs table), live rollouts' steps, and the state of
 * every breaker added to `breakers`. A read that fails leaves its series out and is
 * logged, rather than failing the whole scrape.
 */
export function registerScrapeTimeGauges(
  registry: Registry,
  sources: ScrapeSources,
  breakers: ReadonlySet<WatchedBreaker>,
): void {
  const registers = [registry];
  const { clock, logger } = sources;
  const scraped = <T>(read: () => Promise<T>, what: string) =>
    read().catch((e: unknown) => {
      logger.warn({ err: e }, `metrics: reading ${what} failed`);
      return undefined;
    });
  const readQueue = sharedPerScrape(() => scraped(() => sources.queueStats(clock.now()), "queue"));
  const readRollouts = sharedPerScrape(() =>
    scraped(async () => (await sources.rolloutSteps?.()) ?? [], "rollouts"),
  );

  new Gauge({
    name: "mainstay_queue_jobs",
    help: "Jobs in the queue by kind and state (due, scheduled, running, dead); dead = dead letters.",
    labelNames: ["kind", "state"],
    registers,
    async collect() {
      const stats = await readQueue();
      this.reset();
      for (const s of stats ?? []) this.set({ kind: s.kind, state: s.state }, s.count);
    },
  });
  new Gauge({
    name: "mainstay_queue_oldest_job_age_seconds",
    help: "How long the oldest due job has waited past its run time, by kind.",
    labelNames: ["kind"],
    registers,
    async collect() {
      const stats = await readQueue();
      this.reset();
      const now = clock.now();
      for (const s of stats ?? []) {
        if (s.state === "due") this.set({ kind: s.kind }, Math.max(0, now - s.oldestRunAt) / 1000);
      }
    },
  });
  new Gauge({
    name: "mainstay_rollout_step",
    help: "The current step (index in the rollout spec) of each live rollout.",
    labelNames: ["agent", "rollout"],
    registers,
    async collect() {
      const steps = await readRollouts();
      this.reset();
      for (const s of steps ?? []) this.set({ agent: s.agent, rollout: s.rollout }, s.step);
    },
  });
  new Gauge({
    name: "mainstay_rollout_candidate_share",
    help: "The candidate's share (0..1) of new conversations at each live rollout's step.",
    labelNames: ["agent", "rollout"],
    registers,
    async collect() {
      const steps = await readRollouts();
      this.reset();
      for (const s of steps ?? []) this.set({ agent: s.agent, rollout: s.rollout }, s.share);
    },
  });
  new Gauge({
    name: "mainstay_llm_circuit_breaker_state",
    help: "1 for each provider circuit breaker's current state (closed, half_open, open), else 0.",
    labelNames: ["agent", "version", "provider", "model", "state"],
    registers,
    collect() {
      for (const breaker of breakers) {
        const current = breaker.state();
        for (const state of CIRCUIT_STATES) {
          this.set({ ...breaker.labels, state }, state === current ? 1 : 0);
        }
      }
    },
  });
}
