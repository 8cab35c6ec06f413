import type { FastifyBaseLogger } from "fastify";
import type { Channel, WebhookResult } from "../../channels/index.ts";
import type {
  ChannelRef,
  ConversationService,
  InboundMessage,
  TakenMessage,
} from "../../conversations/index.ts";
import type { IntakeResult } from "../../monitoring/index.ts";
import { isMainstayError, MainstayError } from "../../shared/errors.ts";

/** Stores an inbound message, or queues it to be stored (`intake.mode`). */
export type MessageTaker = (channel: ChannelRef, message: InboundMessage) => Promise<TakenMessage>;

/**
 * Stores what one verified webhook call brought. Each message and status is stored on its
 * own, so one that fails (a store error, a limit) does not keep its neighbours out; when any
 * failed, this throws once all were tried and the vendor sends the call again, which dedupe
 * makes a no-op for the ones stored. A call whose signature covers a timestamp is accepted
 * once while that timestamp is in its window.
 */
export async function storeWebhookCall(
  service: ConversationService,
  take: MessageTaker,
  channel: Channel,
  call: WebhookResult,
  log: FastifyBaseLogger,
): Promise<IntakeResult> {
  const { nonce } = call;
  if (!nonce) return storeEach(service, take, channel, call, log);
  const nonces = service.store.seenNonces;
  const scope = `webhook:${channel.id}`;
  if (!(await nonces.remember(scope, nonce.value, nonce.expiresAt, service.now()))) {
    throw new MainstayError(
      "MS_SIGNATURE_REPLAYED",
      "this signed request was already accepted: sign each request anew (a new timestamp or nonce)",
      401,
    );
  }
  try {
    return await storeEach(service, take, channel, call, log);
  } catch (e) {
    // Not all of it was stored: the vendor's retry, maybe the very same bytes, must pass.
    await nonces.forget(scope, nonce.value).catch((err: unknown) => {
      log.error({ err, channelId: channel.id }, "webhook nonce not released");
    });
    throw e;
  }
}

async function storeEach(
  service: ConversationService,
  take: MessageTaker,
  channel: Channel,
  call: WebhookResult,
  log: FastifyBaseLogger,
): Promise<IntakeResult> {
  const accepted: TakenMessage[] = [];
  const failures: unknown[] = [];
  // What is logged names the item, never its text.
  const failed = (e: unknown, item: Record<string, unknown>, what: string) => {
    failures.push(e);
    const level = isMainstayError(e) && e.status < 500 ? "warn" : "error";
    log[level]({ err: e, channelId: channel.id, ...item }, what);
  };
  for (const [index, message] of call.messages.entries()) {
    try {
      accepted.push(await take(channel, message));
    } catch (e) {
      const { providerMessageId } = message;
      failed(e, { item: index, providerMessageId }, "webhook message not stored");
    }
  }
  for (const [index, status] of call.statuses.entries()) {
    try {
      await service.applyStatus(channel.id, status);
    } catch (e) {
      const item = {
        item: index,
        providerMessageId: status.providerMessageId,
        status: status.status,
      };
      failed(e, item, "webhook delivery status not stored");
    }
  }
  if (failures.length > 0) throw answerFor(failures);
  return { accepted, statuses: call.statuses };
}

/** The failure the call is answered with: one the vendor retries (5xx, 429) comes first. */
function answerFor(failures: unknown[]): unknown {
  const retried = (e: unknown) => !isMainstayError(e) || e.status >= 500 || e.status === 429;
  return failures.find(retried) ?? failures[0];
}
