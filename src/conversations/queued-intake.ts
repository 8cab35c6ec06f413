import { z } from "zod";
import {
  finishJob,
  type Job,
  type JobHandler,
  type JobQueue,
  PermanentJobError,
  readJobPayload,
} from "../jobs/index.ts";
import type { Clock } from "../shared/clock.ts";
import { isMainstayError } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import { GroupCommit, type InboundItem, type Store } from "../store/index.ts";
import type { ConversationService } from "./conversation-service.ts";
import type { ChannelRef, InboundMessage, PreparedInbound, QueuedMessage } from "./types.ts";

/** The job that stores one queued inbound message (then the usual `process` job follows). */
export const INBOUND_STORE_JOB = "inbound.store";

export interface QueuedIntakeOptions {
  service: ConversationService;
  store: Store;
  /** The queue jobs are enqueued through (traced: each job carries its request's trace). */
  queue: JobQueue;
  clock: Clock;
  maxAttempts: number;
  /** The most messages one commit takes in. */
  maxBatch: number;
  /** The most messages waiting for a commit before intake answers 503. */
  maxWaiting: number;
  /** Called after a batch committed, to wake the local worker. */
  onEnqueued?: () => void;
  /** Told of each commit: messages in the batch, seconds it took (metrics). */
  onCommitted?: (size: number, seconds: number) => void;
}

/** A message waiting for the batch commit: its limits are counted in that commit. */
interface Queued {
  channel: ChannelRef;
  prepared: PreparedInbound;
  item: Omit<InboundItem, "item">;
  messageId: string;
  job: Parameters<JobQueue["enqueue"]>[1];
}

/**
 * The thin intake (`intake.mode: queued`): a webhook's message is answered once it is
 * durable as an inbound item with its `inbound.store` job, written in ONE commit with every
 * other message that arrived meanwhile (group-commit.ts). Dedupe against stored messages
 * comes first, a read; the message limits (a 429 for senders that retry) are counted in
 * that commit's transaction, so they add no commit; the job
 * does the rest as `receive` would: screening, contact and conversation, the message,
 * its events and its `process` job, and removes the item in that same transaction.
 *
 * Per-sender order holds: the jobs of one sender on one channel share a queue key, so
 * they store their messages one at a time, in the order they were taken in.
 */
export class QueuedIntake {
  private readonly batch: GroupCommit<Queued>;

  constructor(private readonly options: QueuedIntakeOptions) {
    this.batch = new GroupCommit<Queued>({
      maxBatch: options.maxBatch,
      maxWaiting: options.maxWaiting,
      commit: async (batch) => {
        const now = options.clock.now();
        const started = performance.now();
        const refused = await options.store.transaction(async (tx) => {
          const refusals: unknown[] = [];
          const taken: Queued[] = [];
          // The limits count here, in submission order, so they cost no commit of their own;
          // a message over one is refused (429) or kept marked, as in the direct intake.
          for (const [i, q] of batch.entries()) {
            try {
              const limited = await options.service.overLimit(q.channel, q.prepared.inbound, tx);
              if (limited) q.prepared = { ...q.prepared, limited };
              taken.push(q);
            } catch (e) {
              // A refusal (429) is that message's answer; anything else fails the batch.
              if (!isMainstayError(e)) throw e;
              refusals[i] = e;
            }
          }
          await tx.inboundItems.insertMany(
            taken.map((q) => ({
              ...q.item,
              item: JSON.stringify({ messageId: q.messageId, ...q.prepared } satisfies StoredItem),
            })),
          );
          await options.queue.enqueueMany(
            tx.db,
            taken.map((q) => q.job),
            now,
          );
          return refusals;
        });
        options.onEnqueued?.();
        options.onCommitted?.(batch.length, (performance.now() - started) / 1000);
        return refused;
      },
    });
  }

  /** Takes `received` in: resolves once it is durable, or with the copy already stored. */
  async take(channel: ChannelRef, received: InboundMessage) {
    const { service, clock, queue, maxAttempts } = this.options;
    // The limits are counted in the batch's commit.
    const admitted = await service.admit(channel, received);
    if ("duplicate" in admitted) return admitted.duplicate;
    const now = clock.now();
    const messageId = newId("msg", now);
    const id = newId("in", now);
    const { prepared } = admitted;
    await this.batch.submit({
      channel,
      prepared,
      messageId,
      item: { id, channelId: channel.id, receivedAt: now },
      // Stamped here, in the request's context: the batch commits in another.
      job: queue.stamp({
        kind: INBOUND_STORE_JOB,
        queueKey: `inbound:${channel.id}:${prepared.inbound.from}`,
        payload: { itemId: id },
        maxAttempts,
        runAt: now,
      }),
    });
    return { queued: true, messageId } satisfies QueuedMessage;
  }

  /** Resolves once every message taken in so far is committed (shutdown). */
  drain(): Promise<void> {
    return this.batch.drain();
  }
}

/** An inbound item's JSON: the admitted message and the id it was answered with. */
type StoredItem = PreparedInbound & { messageId: string };

const storedItem = z.object({
  messageId: z.string().min(1),
  inbound: z.looseObject({
    providerMessageId: z.string().nullable(),
    from: z.string(),
    text: z.string(),
  }),
  sanitized: z.object({ replaced: z.number(), fields: z.array(z.string()) }).optional(),
  limited: z.object({ limit: z.string(), retryAfterMs: z.number() }).optional(),
});

const inboundStorePayload = z.object({ itemId: z.string().min(1) });

/** Runs `inbound.store` jobs: stores the queued message and removes its item, in one commit. */
export function inboundStoreHandler(deps: {
  service: ConversationService;
  store: Store;
  channels: ReadonlyMap<string, ChannelRef>;
}): JobHandler {
  return {
    async run(job: Job) {
      const { itemId } = readJobPayload(job, inboundStorePayload);
      const row = await deps.store.inboundItems.get(itemId);
      // Gone: an earlier run stored it and finished, and this claim is a stale one.
      if (!row) return;
      const channel = deps.channels.get(row.channelId);
      if (!channel) {
        // Kept (the item and the dead job) until the channel is configured again.
        throw new PermanentJobError(`channel "${row.channelId}" is no longer configured`);
      }
      const parsed = storedItem.safeParse(parseJson(row.item));
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new PermanentJobError(
          `inbound item ${itemId}, ${issue.path.join(".")}: ${issue.message}`,
        );
      }
      const { messageId, ...prepared } = parsed.data as StoredItem;
      await deps.service.storeInbound(channel, prepared, {
        messageId,
        alongside: async (tx) => {
          await tx.inboundItems.delete(itemId);
          await finishJob(job, tx.db);
        },
      });
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
