import { agentRuntime, handoffNotifier } from "../agents/index.ts";
import { deliveryHandler } from "../channels/index.ts";
import { consentGate, deliveryGate } from "../compliance/index.ts";
import {
  ConversationService,
  DELIVER_JOB,
  HANDOFF_NOTIFY_JOB,
  INBOUND_STORE_JOB,
  inboundStoreHandler,
  PROCESS_JOB,
  QueuedIntake,
} from "../conversations/index.ts";
import { JOBS_CHANNEL, JobWorker } from "../jobs/index.ts";
import type { Limits } from "../limits/index.ts";
import { ALERT_NOTIFY_JOB, alertNotifyHandler, createNotifier } from "../monitoring/index.ts";
import { PROXY_RECORD_JOB, proxyRecordHandler } from "../proxy/index.ts";
import { type ControlState, killGate, type RolloutService } from "../rollouts/index.ts";
import { type Agents, type Channels, redactWith } from "./agents.ts";
import type { Foundation } from "./foundation.ts";
import type { Jobs } from "./jobs.ts";
import type { Started } from "./started-parts.ts";
import type { Storage } from "./storage.ts";
import type { Telemetry } from "./telemetry.ts";

export interface Conversations {
  service: ConversationService;
  /** The policy as telemetry observes it: what every message is screened with. */
  screen: ReturnType<Telemetry["guard"]>;
  worker: JobWorker;
  /** Webhook messages answered once queued (`intake.mode: queued`); absent, stored first. */
  queuedIntake: QueuedIntake | undefined;
}

/** What `startConversations` builds on. */
export interface ConversationParts {
  storage: Storage;
  jobs: Jobs;
  telemetry: Telemetry;
  limits: Limits;
  channels: Channels;
  agents: Agents;
  control: ControlState;
  rollouts: RolloutService;
}

/**
 * The conversation service and the worker that runs its jobs: process (consent, agent),
 * deliver (kill switch, compliance, the channel), and the notifiers. The worker is built
 * here and started by `startBackground` on instances that run jobs.
 */
export async function startConversations(
  foundation: Foundation,
  parts: ConversationParts,
): Promise<Started<Conversations>> {
  const { config, clock, random, logger, fetch, costOf, role } = foundation;
  const { storage, jobs, telemetry, limits, channels, agents, control, rollouts } = parts;
  const { store } = storage;
  const screen = telemetry.guard(foundation.guard);
  const limitReached = telemetry.limitReached;
  // The queue the intake and the service enqueue through, carrying the trace context.
  const queue = telemetry.queue(jobs.queue);
  const service = new ConversationService({
    store,
    queue,
    clock,
    currentAgent: agents.controlled.assign,
    maxAttempts: config.outbox.maxAttempts,
    onEnqueued: jobs.doorbell.ring,
    screen: screen.screen,
    notifyHandoffs: config.handoff.webhook !== undefined,
    onHandoff: telemetry.handoff,
    admit: (sender, on) => limits.messages.admit(sender, on),
    senderRefused: (sender) => limits.messages.refusedAlready(sender),
    onLimited: limitReached,
    coalesceMs: config.limits.coalesceMs,
  });
  const queuedIntake =
    config.intake.mode === "queued"
      ? new QueuedIntake({
          service,
          store,
          queue,
          clock,
          maxAttempts: config.outbox.maxAttempts,
          maxBatch: config.intake.maxBatch,
          maxWaiting: config.intake.maxWaiting,
          onEnqueued: jobs.doorbell.ring,
          onCommitted: telemetry.intakeCommitted,
        })
      : undefined;
  // A live worker must finish (or give up on) a job before its lease runs out.
  const timeoutMs = Math.min(30_000, config.outbox.leaseMs / 2);
  const worker = new JobWorker({
    ...config.outbox,
    queue: jobs.queue,
    clock,
    random,
    logger: logger.child({ module: "jobs" }),
    around: telemetry.aroundJob,
    handlers: {
      // Registered in either mode, so items queued before a switch to `direct` are stored.
      [INBOUND_STORE_JOB]: inboundStoreHandler({ service, store, channels: channels.channels }),
      // Compliance wraps the agent and the sender: it is enforced here, not by the agent.
      [PROCESS_JOB]: consentGate(
        agentRuntime({
          service,
          agentFor: agents.controlled.forConversation,
          onTurn: ({ rolloutId }) => {
            if (rolloutId) rollouts.schedule(rolloutId);
          },
          costOf,
          clock,
          logger,
          timeoutMs,
          screen: screen.screen,
          redact: redactWith(foundation.guard),
          handoffText: config.handoff.message,
          negativeSentimentStreak: config.handoff.negativeSentimentStreak,
          spend: limits.spend,
          onSpendCap: (cap, action) => limitReached(`spend.${cap.scope}`, action),
        }),
        { service, config: config.compliance, clock },
      ),
      ...(config.handoff.webhook && {
        [HANDOFF_NOTIFY_JOB]: handoffNotifier(store, config.handoff.webhook, fetch),
      }),
      [ALERT_NOTIFY_JOB]: alertNotifyHandler({
        store,
        outbox: jobs.alertOutbox,
        notifiers: new Map(
          config.alerts.destinations.map((d) => [d.name, createNotifier(d, fetch)]),
        ),
        clock,
        logger,
        sendTimeoutMs: timeoutMs,
      }),
      [DELIVER_JOB]: killGate(
        deliveryGate(
          deliveryHandler({
            service,
            channels: telemetry.sends(channels.channels),
            clock,
            logger,
            sendTimeoutMs: timeoutMs,
          }),
          { service, config: config.compliance, clock },
        ),
        { store, control, clock },
      ),
      // The guarded proxy answers first and records its exchanges through this job.
      [PROXY_RECORD_JOB]: proxyRecordHandler({ service }),
      ...jobs.quality?.handlers,
    },
  });
  const stopWaking = jobs.doorbell.listen(() => worker.wake());
  // Jobs enqueued by other instances (PostgreSQL) wake this worker without waiting a poll;
  // its own instance's enqueues ring the doorbell locally.
  if (role !== "api") {
    await store.listen(JOBS_CHANNEL, (announcer) => {
      if (announcer !== jobs.queue.announcer) jobs.doorbell.ring();
    });
  }
  return {
    provides: { service, screen, worker, queuedIntake },
    close: async () => {
      await queuedIntake?.drain();
      await worker.stop();
      stopWaking();
    },
  };
}
