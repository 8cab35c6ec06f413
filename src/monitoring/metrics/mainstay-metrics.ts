import type { Logger } from "pino";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { CircuitState } from "../../agents/middleware/index.ts";
import type { QueueStat } from "../../jobs/index.ts";
import type { Clock } from "../../shared/clock.ts";
import { boundedLabel } from "./bounded-label.ts";
import { handoffReasonLabel } from "./handoff-reason.ts";
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

export interface MetricsOptions {
  /** Where queue depth and age come from at scrape time (`jobQueue(...).stats`). */
  queueStats: (now: number) => Promise<QueueStat[]>;
  /** The live rollouts' steps, read at scrape time; absent, no rollout series is exposed. */
  rolloutSteps?: () => Promise<RolloutStep[]>;
  clock: Clock;
  logger: Logger;
}

const CIRCUIT_STATES: readonly CircuitState[] = ["closed", "half_open", "open"];

/**
 * Every Prometheus metric Mainstay exposes, in a registry of its own (tests run several
 * servers in one process), with Node.js process metrics. Recorders (the `meter*` wrappers)
 * count what passes through the seams they wrap; queue depth, circuit state and rollout
 * steps are read when `/metrics` is scraped. Label values come from configuration (channel
 * ids, agent ids, models) or closed sets; open sets go through `boundedLabel`.
 */
export function createMetrics(options: MetricsOptions) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // Gauges named `_total`, which Prometheus' linter rejects; each is the sum of its
  // per-type series (`nodejs_active_handles{type}`...), so nothing is lost.
  for (const name of ["handles", "requests", "resources"]) {
    registry.removeSingleMetric(`nodejs_active_${name}_total`);
  }
  const registers = [registry];
  const breakers = new Set<WatchedBreaker>();
  const readQueue = sharedPerScrape(() => options.queueStats(options.clock.now()));
  const readRollouts = sharedPerScrape(async () => (await options.rolloutSteps?.()) ?? []);
  const boundRule = boundedLabel(100);

  new Gauge({
    name: "mainstay_queue_jobs",
    help: "Jobs in the queue by kind and state (due, scheduled, running, dead); dead = dead letters.",
    labelNames: ["kind", "state"],
    registers,
    async collect() {
      const stats = await scraped(readQueue, "queue");
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
      const stats = await scraped(readQueue, "queue");
      this.reset();
      const now = options.clock.now();
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
      const steps = await scraped(readRollouts, "rollouts");
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
      const steps = await scraped(readRollouts, "rollouts");
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
  /** A scrape-time read that fails leaves its series out rather than failing the scrape. */
  async function scraped<T>(read: () => Promise<T>, what: string): Promise<T | undefined> {
    try {
      return await read();
    } catch (e) {
      options.logger.warn({ err: e }, `metrics: reading ${what} failed`);
      return undefined;
    }
  }

  const handoffs = new Counter({
    name: "mainstay_handoffs_total",
    help: "Conversations handed to a person, by reason.",
    labelNames: ["reason"],
    registers,
  });
  const csat = new Histogram({
    name: "mainstay_csat_score",
    help: "Customer satisfaction scores (1-5) by agent, version and channel.",
    labelNames: ["agent", "version", "channel"],
    buckets: [1, 2, 3, 4, 5],
    registers,
  });

  return {
    registry,
    messagesReceived: new Counter({
      name: "mainstay_messages_received_total",
      help: "Inbound customer messages by channel and status (accepted, duplicate).",
      labelNames: ["channel", "channel_type", "status"],
      registers,
    }),
    intakeErrors: new Counter({
      name: "mainstay_intake_errors_total",
      help: "Webhook calls and chat frames refused or failed, by error code (MS_SIGNATURE_INVALID...).",
      labelNames: ["channel", "channel_type", "code"],
      registers,
    }),
    deliveryReceipts: new Counter({
      name: "mainstay_delivery_receipts_total",
      help: "Delivery receipts from vendors by status (sent, delivered, read, failed).",
      labelNames: ["channel", "channel_type", "status"],
      registers,
    }),
    deliveryAttempts: new Counter({
      name: "mainstay_delivery_attempts_total",
      help: "Outbound send attempts by outcome (sent, retryable_error, permanent_error).",
      labelNames: ["channel", "channel_type", "outcome"],
      registers,
    }),
    deliveryFailures: new Counter({
      name: "mainstay_delivery_failures_total",
      help: "Failed send attempts by the vendor's error code (none: no code; other: past the cap).",
      labelNames: ["channel", "channel_type", "code"],
      registers,
    }),
    deliveryDuration: new Histogram({
      name: "mainstay_delivery_duration_seconds",
      help: "Time the vendor took to answer one send attempt.",
      labelNames: ["channel", "channel_type"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    deliveryLatency: new Histogram({
      name: "mainstay_delivery_latency_seconds",
      help: "Time from a reply being queued to the vendor accepting it.",
      labelNames: ["channel", "channel_type"],
      buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800],
      registers,
    }),
    jobs: new Counter({
      name: "mainstay_jobs_total",
      help: "Job runs by kind and outcome (done, retrying, deferred, dead: dead-lettered).",
      labelNames: ["kind", "outcome"],
      registers,
    }),
    jobDuration: new Histogram({
      name: "mainstay_job_duration_seconds",
      help: "Time one job run took, by kind.",
      labelNames: ["kind"],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    guardrailDecisions: new Counter({
      name: "mainstay_guardrail_decisions_total",
      help: "Guardrail evaluations by direction and the action that won (allow, block...).",
      labelNames: ["direction", "action"],
      registers,
    }),
    guardrailFindings: new Counter({
      name: "mainstay_guardrail_findings_total",
      help: "Guardrail findings by direction, finding type and the action of the rule that found it.",
      labelNames: ["direction", "type", "action"],
      registers,
    }),
    guardrailDuration: new Histogram({
      name: "mainstay_guardrail_evaluation_duration_seconds",
      help: "Time one guardrail evaluation took.",
      labelNames: ["direction"],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
      registers,
    }),
    llmCalls: new Counter({
      name: "mainstay_llm_calls_total",
      help: "LLM calls by provider, model and status (ok, or the error code or HTTP status).",
      labelNames: ["provider", "model", "status"],
      registers,
    }),
    llmDuration: new Histogram({
      name: "mainstay_llm_call_duration_seconds",
      help: "Time one LLM call took, failed ones included.",
      labelNames: ["provider", "model"],
      buckets: [0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
      registers,
    }),
    llmTokens: new Counter({
      name: "mainstay_llm_tokens_total",
      help: "Tokens used by provider, model and type (input, output).",
      labelNames: ["provider", "model", "type"],
      registers,
    }),
    llmCost: new Counter({
      name: "mainstay_llm_cost_usd_total",
      help: "Cost in US dollars of LLM calls whose model is in the price table.",
      labelNames: ["provider", "model"],
      registers,
    }),
    llmFallbacks: new Counter({
      name: "mainstay_llm_fallbacks_total",
      help: "Moves from a failing provider to the next one in an agent's chain.",
      labelNames: ["agent", "from", "to"],
      registers,
    }),
    /** Reads this breaker's state at every scrape from now on. */
    watchBreaker(breaker: WatchedBreaker): void {
      breakers.add(breaker);
    },

    handoff(reason: string): void {
      handoffs.inc({ reason: handoffReasonLabel(reason, boundRule) });
    },

    /** One customer satisfaction score (1-5) for a conversation served by `agent`/`version`. */
    observeCsat(labels: { agent: string; version: string; channel: string }, score: number): void {
      csat.observe(labels, score);
    },

    contentType: registry.contentType,
    /** The exposition in the Prometheus text format. */
    render: () => registry.metrics(),
  };
}

export type MainstayMetrics = ReturnType<typeof createMetrics>;
