import {
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  SpanKind,
} from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import type { Job, JobOutcome, JobQueue, JobSpec } from "../../jobs/index.ts";
import { GEN_AI, recordFailure } from "./span-attributes.ts";
import type { Tracing } from "./start-tracing.ts";

// W3C Trace Context (`traceparent`, `tracestate`): what an HTTP hop would carry, kept in
// the job's payload instead so the hop through the queue stays in one trace.
const propagator = new W3CTraceContextPropagator();

/**
 * The queue with the active trace context written into every job it enqueues: the intake
 * span's into a `process` job, the `process` span's into the `deliver` job it queues.
 */
export function traceEnqueues(queue: JobQueue): JobQueue {
  const stamp = (spec: JobSpec): JobSpec => {
    const carrier: Record<string, string> = {};
    propagator.inject(context.active(), carrier, defaultTextMapSetter);
    return { ...spec, payload: { ...spec.payload, ...carrier } };
  };
  return {
    ...queue,
    enqueue: (tx, spec, now) => queue.enqueue(tx, stamp(spec), now),
    // Batched enqueues were stamped where each one's work started.
    stamp,
  };
}

/**
 * The worker's `around` that runs each job in a `process <kind>` span (kind consumer)
 * whose parent is the span that enqueued it, so one customer message is one trace:
 * intake, process (the agent's turn, guardrails, model calls, tools), then send; each
 * retry is a further `process` span.
 */
export function traceJob(tracing: Tracing) {
  return (job: Job, execute: () => Promise<JobOutcome>): Promise<JobOutcome> => {
    const parent = propagator.extract(ROOT_CONTEXT, job.payload, defaultTextMapGetter);
    const conversationId = job.payload["conversationId"];
    const options = {
      kind: SpanKind.CONSUMER,
      attributes: {
        "messaging.operation.type": "process",
        "messaging.destination.name": job.kind,
        "messaging.message.id": String(job.id),
        "mainstay.job.attempt": job.attempts,
        ...(typeof conversationId === "string" && { [GEN_AI.conversationId]: conversationId }),
      },
    };
    return tracing.tracer.startActiveSpan(`process ${job.kind}`, options, parent, async (span) => {
      try {
        const outcome = await execute();
        span.setAttribute("mainstay.job.outcome", outcome.status);
        if (outcome.status === "retrying" || outcome.status === "dead") {
          recordFailure(span, outcome.error);
        }
        return outcome;
      } finally {
        span.end();
      }
    });
  };
}
