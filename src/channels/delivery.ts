import type { Logger } from "pino";
import { type ConversationService, deliverJobPayload, jobReads } from "../conversations/index.ts";
import {
  DeferJobError,
  finishJob,
  type JobHandler,
  PermanentJobError,
  RetryLaterError,
  readJobPayload,
} from "../jobs/index.ts";
import type { Clock } from "../shared/clock.ts";
import { type Channel, ChannelSendError } from "./channel.ts";

export interface DeliveryOptions {
  service: ConversationService;
  channels: ReadonlyMap<string, Channel>;
  clock: Clock;
  logger: Logger;
  /** Longest a single send may take before it counts as failed. */
  sendTimeoutMs?: number;
}

/**
 * The `deliver` job: send one queued outbound message through its channel, then mark it
 * sent. A crash after the vendor accepted it but before the mark re-sends it on restart
 * with the same message id as idempotency key: delivery is at least once, never lost.
 * A channel on hold (`store.channelHolds`, after a vendor's Retry-After) defers the job
 * until the hold ends, on whichever instance runs it.
 */
export function deliveryHandler(options: DeliveryOptions): JobHandler {
  const { service, channels, clock } = options;
  const store = service.store;
  // A vendor that answers 429 (or 503) with Retry-After is rate-limiting the whole account,
  // not one message: every instance holds sends on that channel until it passes.
  async function holdChannel(channelId: string, retryAfterMs: number, reason: string) {
    const now = clock.now();
    try {
      await store.channelHolds.hold(channelId, now + retryAfterMs, reason, now);
    } catch (e) {
      // This job still waits its Retry-After; the channel's other sends are not held.
      options.logger.error({ err: e, channelId }, "recording the channel hold failed");
    }
  }
  return {
    async run(job) {
      const { messageId } = readJobPayload(job, deliverJobPayload);
      const reads = jobReads(job, store);
      const message = await reads.message(messageId);
      if (message?.status !== "queued") return; // already sent, or gone
      const channel = channels.get(message.channelId);
      if (!channel) throw new PermanentJobError(`channel "${message.channelId}" is not configured`);
      const conversation = (await reads.conversation(message.conversationId))!;
      const identity = (await reads.identity(conversation.identityId))!;
      const latestInbound = await reads.latestInbound(message.conversationId);
      // Read last, right before the send: a hold another instance took while this job was
      // reading the rows above still stops it.
      const paused = await store.channelHolds.pausedUntil(channel.id, clock.now());
      if (paused !== undefined) {
        throw new DeferJobError(`channel ${channel.id} is rate-limited by its vendor`, paused);
      }
      let providerMessageId: string | undefined;
      try {
        const result = await channel.send(
          {
            id: message.id,
            conversationId: message.conversationId,
            to: identity.address,
            text: message.text,
            attachments: message.attachments,
            createdAt: message.createdAt,
            meta: message.meta,
            inReplyTo: latestInbound?.providerMessageId ?? null,
            inReplyToMeta: latestInbound?.meta ?? {},
          },
          AbortSignal.timeout(options.sendTimeoutMs ?? 30_000),
        );
        providerMessageId = result.providerMessageId;
      } catch (e) {
        if (!(e instanceof ChannelSendError)) throw e;
        const vendor = e.options.vendorCode ? ` (vendor code ${e.options.vendorCode})` : "";
        if (!e.retryable) throw new PermanentJobError(`${e.message}${vendor}`);
        if (e.options.retryAfterMs) {
          await holdChannel(channel.id, e.options.retryAfterMs, e.message);
          throw new RetryLaterError(e.message, e.options.retryAfterMs);
        }
        throw e;
      }
      const now = clock.now();
      await store.transaction(async (tx) => {
        if (await tx.messages.advanceStatus(message.id, "sent", now, { providerMessageId })) {
          await tx.events.append(
            message.conversationId,
            "message.sent",
            { messageId: message.id, attempt: job.attempts },
            now,
          );
        }
        await finishJob(job, tx.db);
      });
    },

    async onDead(job, error) {
      const { messageId } = readJobPayload(job, deliverJobPayload);
      const message = await store.messages.get(messageId);
      if (!message) return;
      const now = clock.now();
      await store.transaction(async (tx) => {
        await tx.messages.advanceStatus(message.id, "failed", now, { error });
        await tx.events.append(
          message.conversationId,
          "message.failed",
          { messageId: message.id, error, attempts: job.attempts, jobId: job.id },
          now,
        );
      });
      options.logger.error({ messageId, error }, "message delivery dead-lettered");
    },
  };
}
