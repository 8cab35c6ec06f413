import type { Logger } from "pino";
import type { AgentObserver } from "../agents/index.ts";
import type { Channel } from "../channels/index.ts";
import type { Guard } from "../guardrails/index.ts";
import type { Job, JobOutcome, JobQueue } from "../jobs/index.ts";
import type { Clock } from "../shared/clock.ts";
import { type Intake, unobservedIntake } from "./intake.ts";
import { withLogContext } from "./logging/index.ts";
import {
  type CostOf,
  createMetrics,
  meterGuard,
  meterIntake,
  meterJobs,
  meterProvider,
  meterSends,
  type RolloutStep,
} from "./metrics/index.ts";
import type { TelemetryConfig } from "./telemetry-config.ts";
import {
  startTracing,
  type Tracing,
  traceAgent,
  traceEnqueues,
  traceGuard,
  traceIntake,
  traceJob,
  traceProvider,
  traceSends,
  traceTool,
} from "./tracing/index.ts";

export interface TelemetryOptions {
  config: TelemetryConfig;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  logger: Logger;
  /** Queue depth and age are read from it when `/metrics` is scraped. */
  queue: JobQueue;
  /** Prices LLM calls for `mainstay_llm_cost_usd_total`. */
  costOf: CostOf;
  /** The live rollouts' steps, read when `/metrics` is scraped. */
  rolloutSteps?: () => Promise<RolloutStep[]>;
  /** Where spans go instead of the exporters OTEL_* variables name (tests). */
  traceExporter?: Parameters<typeof startTracing>[2];
}

/**
 * Metrics, traces and log context for one server, as wrappers main.ts puts around the
 * seams a message passes: intake, guardrails, the queue, job handlers, the agent's parts
 * and the channels' sends. Metrics always; tracing only when OTEL_* variables turn it on,
 * and otherwise nothing of it is on the hot path.
 */
export function createTelemetry(options: TelemetryOptions) {
  const { clock } = options;
  const metrics = createMetrics({
    queueStats: options.queue.stats,
    rolloutSteps: options.rolloutSteps,
    clock,
    logger: options.logger,
  });
  const tracing = startTracing(options.config.traces, options.env, options.traceExporter);
  const traced = <T>(value: T, trace: (value: T, tracing: Tracing) => T): T =>
    tracing ? trace(value, tracing) : value;
  const meteredJob = meterJobs(metrics);
  const runJob = tracing ? nest(traceJob(tracing), meteredJob) : meteredJob;

  const agents: AgentObserver = {
    agent: (agent) => traced(agent, traceAgent),
    provider: (provider) => traced(meterProvider(provider, metrics, options.costOf), traceProvider),
    breaker: (breaker, link) =>
      metrics.watchBreaker({
        labels: {
          agent: link.id,
          version: link.version,
          provider: link.provider,
          model: link.model,
        },
        state: () => breaker.state(),
      }),
    tool: (tool) => traced(tool, traceTool),
    fallback: (from, to, agent) => metrics.llmFallbacks.inc({ agent: agent.id, from, to }),
  };

  return {
    metrics,
    /** For `GET /metrics`. */
    exposition: { contentType: metrics.contentType, render: metrics.render },
    /** Around the webhook and web chat routes' work. */
    intake: traced<Intake>(meterIntake(unobservedIntake, metrics), traceIntake),
    guard: (guard: Guard): Guard => traced(meterGuard(guard, metrics), traceGuard),
    /** The queue the conversation service enqueues through (carries the trace context). */
    queue: (queue: JobQueue): JobQueue => (tracing ? traceEnqueues(queue) : queue),
    /** The worker's `around`: each job counted, in its conversation's log context and span. */
    aroundJob(job: Job, execute: () => Promise<JobOutcome>): Promise<JobOutcome> {
      const id = job.payload["conversationId"];
      const logContext = typeof id === "string" ? { conversationId: id } : {};
      return withLogContext(logContext, () => runJob(job, execute));
    },
    /** The channels as the delivery handler sends through them. */
    sends: (channels: ReadonlyMap<string, Channel>) =>
      traced(meterSends(channels, metrics, clock), traceSends),
    agents,
    handoff: (reason: string) => metrics.handoff(reason),
    /** One commit of the queued intake: how many messages it took in, in how long. */
    intakeCommitted: (size: number, seconds: number) => {
      metrics.intakeBatchSize.observe(size);
      metrics.intakeCommitDuration.observe(seconds);
    },
    limitReached: (limit: string, outcome: string) => metrics.limitReached(limit, outcome),
    /** Export the spans still buffered. */
    shutdown: async () => {
      await tracing?.shutdown();
    },
  };
}

export type Telemetry = ReturnType<typeof createTelemetry>;

type AroundJob = (job: Job, execute: () => Promise<JobOutcome>) => Promise<JobOutcome>;

/** `outer` around `inner` around the job. */
const nest =
  (outer: AroundJob, inner: AroundJob): AroundJob =>
  (job, execute) =>
    outer(job, () => inner(job, execute));
