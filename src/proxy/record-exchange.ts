import { createHash } from "node:crypto";
import {
  type ChannelRef,
  type ConversationService,
  recordDecision,
  type Screening,
  screeningRecord,
} from "../conversations/index.ts";
import type { Clock } from "../shared/clock.ts";
import { newId } from "../shared/ids.ts";
import { storableFields } from "../shared/storable-text.ts";

export interface Exchange {
  /** Stable address of the caller on the proxy channel (see `callerAddress`). */
  caller: string;
  /** When the request arrived (the inbound message's time; the answer is stored at `now`). */
  receivedAt: number;
  /** The last user message as screened; its redacted text is what is stored. */
  inbound: Screening;
  /** The answer the client received; absent when the request was refused or failed. */
  outbound?: {
    text: string;
    model?: string | undefined;
    usage?: unknown;
    latencyMs: number;
    finishReason?: string | undefined;
    /** Absent when the answer had no text content (only tool calls). */
    screening?: Screening | undefined;
  };
  /** Why there is no answer, or why a stream stopped early (OpenAI error body fields). */
  error?: { status?: number; code: string | null; message: string };
}

/**
 * The caller's identity: the request's `safety_identifier` or `user` (OpenAI's fields
 * for the end user), else a digest of the API key, so the key itself is never stored.
 */
export function callerAddress(
  body: { user?: string | null; safety_identifier?: string | null },
  apiKey: string,
): string {
  const user = body.safety_identifier || body.user;
  if (user) return `user:${user}`;
  return `key:${createHash("sha256").update(apiKey).digest("hex").slice(0, 16)}`;
}

/**
 * Store an exchange as a conversation turn: the user message inbound, the completion
 * outbound (already delivered, so `sent`), and their events, in one transaction. Unlike
 * `ConversationService.receive` it enqueues no job: the upstream model has answered, and
 * the built-in agent must not answer again.
 */
export async function recordExchange(
  service: ConversationService,
  channel: ChannelRef,
  made: Exchange,
  clock: Clock,
): Promise<{ conversationId: string }> {
  // Caller and upstream text alike, as ConversationService.receive does for channels; what
  // was replaced anywhere in the exchange is recorded on its inbound message.
  const { value: exchange, sanitized } = storableFields(made);
  const now = clock.now();
  return service.transact(async (tx) => {
    const conversation = await service.conversationFor(
      tx,
      channel,
      { from: exchange.caller },
      null,
      exchange.receivedAt,
    );
    const { inbound, outbound, receivedAt } = exchange;
    const inboundId = newId("msg", receivedAt);
    await tx.messages.insert(
      {
        id: inboundId,
        conversationId: conversation.id,
        channelId: channel.id,
        direction: "inbound",
        author: "customer",
        text: inbound.redacted,
        status: "received",
        meta: { guardrails: screeningRecord(inbound), ...(sanitized ? { sanitized } : {}) },
      },
      receivedAt,
    );
    await tx.events.append(
      conversation.id,
      "message.received",
      { messageId: inboundId },
      receivedAt,
    );
    await recordDecision(
      tx,
      conversation.id,
      { direction: "inbound", messageId: inboundId, record: screeningRecord(inbound) },
      receivedAt,
    );
    if (outbound) {
      const outboundId = newId("msg", now);
      await tx.messages.insert(
        {
          id: outboundId,
          conversationId: conversation.id,
          channelId: channel.id,
          direction: "outbound",
          author: "agent",
          text: outbound.text,
          status: "sent",
          meta: {
            inReplyTo: inboundId,
            provider: "upstream",
            ...(outbound.model ? { model: outbound.model } : {}),
            ...usageOf(outbound.usage),
            ...(outbound.finishReason ? { finishReason: outbound.finishReason } : {}),
            latencyMs: outbound.latencyMs,
            ...(outbound.screening ? { guardrails: screeningRecord(outbound.screening) } : {}),
          },
        },
        now,
      );
      await tx.events.append(conversation.id, "message.sent", { messageId: outboundId }, now);
      if (outbound.screening) {
        const record = screeningRecord(outbound.screening);
        await recordDecision(
          tx,
          conversation.id,
          { direction: "outbound", messageId: outboundId, record },
          now,
        );
      }
    }
    if (exchange.error) {
      await tx.events.append(
        conversation.id,
        "proxy.failed",
        { messageId: inboundId, ...exchange.error },
        now,
      );
    }
    await tx.conversations.touch(conversation.id, now);
    return { conversationId: conversation.id };
  });
}

/** OpenAI's usage object in the shape agent replies record it (`inputTokens`, `outputTokens`). */
function usageOf(usage: unknown) {
  const u = usage as { prompt_tokens?: unknown; completion_tokens?: unknown } | undefined;
  if (typeof u?.prompt_tokens !== "number" || typeof u.completion_tokens !== "number") return {};
  return { usage: { inputTokens: u.prompt_tokens, outputTokens: u.completion_tokens } };
}
