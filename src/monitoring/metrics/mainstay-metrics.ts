import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import { boundedLabel } from "./bounded-label.ts";
import { handoffReasonLabel } from "./handoff-reason.ts";
import {
  registerScrapeTimeGauges,
  type ScrapeSources,
  type WatchedBreaker,
} from "./scrape-time-gauges.ts";

export type MetricsOptions = ScrapeSources;

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
  const boundRule = boundedLabel(100);
  registerScrapeTimeGauges(registry, options, breakers);

  const handoffs = new Counter({
    name: "mainstay_handoffs_total",
    help: "Conversations handed to a person, by reason.",
    labelNames: ["reason"],
    registers,
  });
  const limits = new Counter({
    name: "mainstay_limits_reached_total",
    help: "Messages, sign-ins and agent turns stopped by a limit, by limit and outcome.",
    labelNames: ["limit", "outcome"],
    registers,
  });
  const csat = new Histogram({
    name: "mainstay_csat_score",
    help: "Customer satisfaction scores (1-5) by agent, version and channel.",
    labelNames: ["agent", "version", "channel"],
    buckets: [1, 2, 3, 4, 5],
    registers,
  });

  const retentionPurged = new Counter({
    name: "mainstay_retention_purged_total",
    help: "Rows purged by retention, by data class (messages, attachments, evidence, traces, turns).",
    labelNames: ["class"],
    registers,
  });

  return {
    registry,
    ...messageMetrics(registers),
    ...jobMetrics(registers),
    ...guardrailMetrics(registers),
    ...llmMetrics(registers),

    /** Reads this breaker's state at every scrape from now on. */
    watchBreaker(breaker: WatchedBreaker): void {
      breakers.add(breaker);
    },

    handoff(reason: string): void {
      handoffs.inc({ reason: handoffReasonLabel(reason, boundRule) });
    },

    /**
     * A limit stopped something: `refused` (429), `stored` (kept unanswered), or for spend
     * caps the action taken (`handoff`, `canned`, `refuse`).
     */
    limitReached(limit: string, outcome: string): void {
      limits.inc({ limit, outcome });
    },

    /** One customer satisfaction score (1-5) for a conversation served by `agent`/`version`. */
    observeCsat(labels: { agent: string; version: string; channel: string }, score: number): void {
      csat.observe(labels, score);
    },

    /** Retention purged `rows` of a data class (docs/governance.md). */
    retentionPurged(dataClass: string, rows: number): void {
      retentionPurged.inc({ class: dataClass }, rows);
    },

    contentType: registry.contentType,
    /** The exposition in the Prometheus text format. */
    render: () => registry.metrics(),
  };
}

export type MainstayMetrics = ReturnType<typeof createMetrics>;

/** Messages in, sends out, and what vendors report back. */
function messageMetrics(registers: Registry[]) {
  return {
    messagesReceived: new Counter({
      name: "mainstay_messages_received_total",
      help: "Inbound customer messages by channel and status (accepted, duplicate, queued).",
      labelNames: ["channel", "channel_type", "status"],
      registers,
    }),
    intakeBatchSize: new Histogram({
      name: "mainstay_intake_batch_size",
      help: "Messages per commit of the queued intake (intake.mode: queued).",
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
      registers,
    }),
    intakeCommitDuration: new Histogram({
      name: "mainstay_intake_commit_duration_seconds",
      help: "Time one commit of the queued intake took, its limits counted.",
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
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
  };
}

/** Job runs by kind. */
function jobMetrics(registers: Registry[]) {
  return {
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
  };
}

/** Guardrail evaluations, findings and their duration. */
function guardrailMetrics(registers: Registry[]) {
  return {
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
    guardrailClassifierCalls: new Counter({
      name: "mainstay_guardrail_classifier_calls_total",
      help: "Model-tier guardrail calls by rule and outcome (scored, cached, timeout, error, skipped).",
      labelNames: ["rule", "outcome"],
      registers,
    }),
    guardrailClassifierDuration: new Histogram({
      name: "mainstay_guardrail_classifier_duration_seconds",
      help: "Time a model-tier guardrail call took (cut at the rule's budget), by rule.",
      labelNames: ["rule"],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
  };
}

/** Model calls, tokens, cost and fallbacks. */
function llmMetrics(registers: Registry[]) {
  return {
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
  };
}
