import { createHash } from "node:crypto";
import {
  type ConversationService,
  recordDecision,
  type Screening,
  type ScreeningRecord,
  screeningRecord,
} from "../conversations/index.ts";
import { newId } from "../shared/ids.ts";
import { type SanitizedRecord, storableFields } from "../shared/storable-text.ts";
import type { Repositories } from "../store/index.ts";
import { PROXY_CHANNEL_TYPE } from "./chat-request.ts";

export interface Exchange {
  /** Stable address of the caller on the proxy channel (see `callerAddress`). */
  caller: string;
  /** When the request arrived (the inbound message's time). */
  receivedAt: number;
  /** When the answer was complete (the outbound message's and the events' time). */
  answeredAt: number;
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

/** What recording needs of the conversation service. */
export type RecordingService = Pick<ConversationService, "transact" | "conversationFor">;

/**
 * An exchange as it waits in a record job's payload: only what is stored (the redacted
 * inbound text, the screening records), never the text the policy redacted, with its
 * message ids chosen up front so that a job run twice records it once.
 */
export interface ExchangeRecord {
  channelId: string;
  caller: string;
  receivedAt: number;
  answeredAt: number;
  inbound: { id: string; text: string; guardrails: ScreeningRecord };
  outbound?: {
    id: string;
    text: string;
    meta: Record<string, unknown>;
    guardrails?: ScreeningRecord;
  };
  error?: Exchange["error"];
  sanitized?: SanitizedRecord;
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
 * What will be stored of an exchange. Caller and upstream text alike are made storable, as
 * ConversationService.receive does for channels; what was replaced anywhere in the exchange
 * is recorded on its inbound message.
 */
export function exchangeRecord(channelId: string, exchange: Exchange): ExchangeRecord {
  const { inbound, outbound, receivedAt, answeredAt } = exchange;
  const record: ExchangeRecord = {
    channelId,
    caller: exchange.caller,
    receivedAt,
    answeredAt,
    inbound: {
      id: newId("msg", receivedAt),
      text: inbound.redacted,
      guardrails: screeningRecord(inbound),
    },
    ...(outbound
      ? {
          outbound: {
            id: newId("msg", answeredAt),
            text: outbound.text,
            meta: {
              provider: "upstream",
              ...(outbound.model ? { model: outbound.model } : {}),
              ...usageOf(outbound.usage),
              ...(outbound.finishReason ? { finishReason: outbound.finishReason } : {}),
              latencyMs: outbound.latencyMs,
            },
            ...(outbound.screening ? { guardrails: screeningRecord(outbound.screening) } : {}),
          },
        }
      : {}),
    ...(exchange.error ? { error: exchange.error } : {}),
  };
  const { value, sanitized } = storableFields(record);
  return sanitized ? { ...value, sanitized } : value;
}

/**
 * Store exchanges as conversation turns, all in one transaction: per exchange the user
 * message inbound, the completion outbound (already delivered, so `sent`), and their
 * events. Unlike `ConversationService.receive` it enqueues no job: the upstream model has
 * answered, and the built-in agent must not answer again. A caller's conversation is looked
 * up once per call and touched once, at its last answer. The exchanges are stored all or
 * none, so a first one already stored means an earlier run of the same job stored them.
 */
export async function recordExchanges(
  service: RecordingService,
  records: readonly ExchangeRecord[],
): Promise<void> {
  const [first] = records;
  if (!first) return;
  await service.transact(async (tx) => {
    if (await tx.messages.get(first.inbound.id)) return;
    const conversations = new Map<string, { id: string; lastAt: number }>();
    for (const record of records) {
      const key = `${record.channelId}\n${record.caller}`;
      let conversation = conversations.get(key);
      if (!conversation) {
        const found = await service.conversationFor(
          tx,
          { id: record.channelId, type: PROXY_CHANNEL_TYPE },
          { from: record.caller },
          null,
          record.receivedAt,
        );
        conversation = { id: found.id, lastAt: record.answeredAt };
        conversations.set(key, conversation);
      }
      await writeExchange(tx, conversation.id, record);
      conversation.lastAt = Math.max(conversation.lastAt, record.answeredAt);
    }
    for (const { id, lastAt } of conversations.values()) await tx.conversations.touch(id, lastAt);
  });
}

async function writeExchange(
  tx: Repositories,
  conversationId: string,
  exchange: ExchangeRecord,
): Promise<void> {
  const { inbound, outbound, receivedAt, answeredAt: now, channelId } = exchange;
  await tx.messages.insert(
    {
      id: inbound.id,
      conversationId,
      channelId,
      direction: "inbound",
      author: "customer",
      text: inbound.text,
      status: "received",
      meta: {
        guardrails: inbound.guardrails,
        ...(exchange.sanitized ? { sanitized: exchange.sanitized } : {}),
      },
    },
    receivedAt,
  );
  await tx.events.append(conversationId, "message.received", { messageId: inbound.id }, receivedAt);
  await recordDecision(
    tx,
    conversationId,
    { direction: "inbound", messageId: inbound.id, record: inbound.guardrails },
    receivedAt,
  );
  if (outbound) {
    await tx.messages.insert(
      {
        id: outbound.id,
        conversationId,
        channelId,
        direction: "outbound",
        author: "agent",
        text: outbound.text,
        status: "sent",
        meta: {
          inReplyTo: inbound.id,
          ...outbound.meta,
          ...(outbound.guardrails ? { guardrails: outbound.guardrails } : {}),
        },
      },
      now,
    );
    await tx.events.append(conversationId, "message.sent", { messageId: outbound.id }, now);
    if (outbound.guardrails) {
      await recordDecision(
        tx,
        conversationId,
        { direction: "outbound", messageId: outbound.id, record: outbound.guardrails },
        now,
      );
    }
  }
  if (exchange.error) {
    await tx.events.append(
      conversationId,
      "proxy.failed",
      { messageId: inbound.id, ...exchange.error },
      now,
    );
  }
}

/** OpenAI's usage object in the shape agent replies record it (`inputTokens`, `outputTokens`). */
function usageOf(usage: unknown) {
  const u = usage as { prompt_tokens?: unknown; completion_tokens?: unknown } | undefined;
  if (typeof u?.prompt_tokens !== "number" || typeof u.completion_tokens !== "number") return {};
  return { usage: { inputTokens: u.prompt_tokens, outputTokens: u.completion_tokens } };
}
