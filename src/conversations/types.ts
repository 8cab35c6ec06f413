import { z } from "zod";
import type { SanitizedRecord } from "../shared/storable-text.ts";
import type { Attachment, Executor } from "../store/index.ts";

/** A customer message as a channel parsed it, before it is stored. */
export interface InboundMessage {
  /** The vendor's id for the message; inbound dedupe keys on (channel, this). */
  providerMessageId: string | null;
  /** The customer's address on this channel (phone number, session id, user id). */
  from: string;
  displayName?: string;
  /**
   * A phone number the channel vouches for (Twilio's `From`, WhatsApp's user number), in any
   * common notation. A new identity with one joins the contact already known by it.
   */
  phone?: string;
  text: string;
  attachments?: Attachment[];
  /** Channel-specific facts worth keeping on the stored message (subject, message type...). */
  meta?: Record<string, unknown>;
  /**
   * Vendor ids of earlier messages this one answers (email `In-Reply-To` and `References`):
   * when one is ours, the message joins that conversation.
   */
  references?: string[];
}

/**
 * An inbound message admitted for storing (conversation-service.ts `admit`): its text made
 * storable, and the limit it is over when it is to be kept but not answered.
 */
export interface PreparedInbound {
  inbound: InboundMessage;
  /** What was replaced to make it storable. */
  sanitized?: SanitizedRecord;
  limited?: { limit: string; retryAfterMs: number };
}

/** A delivery receipt for a message we sent. */
export interface StatusUpdate {
  providerMessageId: string;
  status: "sent" | "delivered" | "read" | "failed";
  /** The vendor's error code and text, for `failed`. */
  error?: string;
}

/** What the pipeline did with an inbound message. */
export interface AcceptedMessage {
  conversationId: string;
  messageId: string;
  /** True when (channel, provider message id) was already stored: nothing new was done. */
  duplicate: boolean;
  /** Stored but not answered: the sender or contact was over a message limit. */
  limited?: boolean;
}

/**
 * Taken in by the queued intake (queued-intake.ts): durable, and stored as a message by a
 * job, under `messageId` unless that job finds a copy already stored. Its conversation is
 * chosen then.
 */
export interface QueuedMessage {
  queued: true;
  messageId: string;
}

/** What an intake did with an inbound message: stored it, or queued it to be stored. */
export type TakenMessage = AcceptedMessage | QueuedMessage;

export const isQueued = (taken: TakenMessage): taken is QueuedMessage => "queued" in taken;

export interface ChannelRef {
  id: string;
  type: string;
  /**
   * The sender sends again a message refused with 429 and `Retry-After` (WhatsApp, Sinch,
   * our web chat page, documented generic senders): one over a limit is refused, not stored.
   */
  readonly retriesRefused?: boolean;
}

/** Whether a sender's message may be answered now, or which limit it is over. */
export type AdmitMessage = (
  sender: {
    channelId: string;
    from: string;
    /** Looked up only when a limit needs it. */
    contactId: () => Promise<string | undefined>;
  },
  /** Count in this transaction instead of statements of their own. */
  on?: Executor,
) => Promise<{ ok: true } | { ok: false; limit: string; retryAfterMs: number }>;

/** Whether a sender is refused already, spending nothing (a read): see `AdmitMessage`. */
export type SenderRefused = (sender: {
  channelId: string;
  from: string;
}) => Promise<{ ok: true } | { ok: false; limit: string; retryAfterMs: number }>;

/** The agent version a new conversation starts on, and the rollout arm that chose it. */
export interface AgentAssignment {
  id: string;
  version: string;
  rollout?: {
    id: string;
    arm: "baseline" | "candidate";
    /** The candidate's share of new conversations at assignment. */
    share: number;
  };
}

/**
 * Chooses the version a new conversation starts on from its id (a canary hashes it, so
 * the choice is sticky); pure, so it runs inside the transaction that creates it.
 */
export type AssignAgent = (conversationId: string) => AgentAssignment;

/** Earlier conversations of a contact that started this long before a new one are repeats. */
export const REPEAT_CONTACT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/** Job kinds the conversation pipeline enqueues. */
export const PROCESS_JOB = "conversation.process";
export const DELIVER_JOB = "message.deliver";
export const HANDOFF_NOTIFY_JOB = "handoff.notify";

/** The queue key of each job a conversation's pipeline enqueues: its jobs run in order. */
export const conversationQueueKeys = (conversationId: string) => ({
  process: `process:${conversationId}`,
  deliver: `deliver:${conversationId}`,
  notify: `notify:${conversationId}`,
});

export const handoffNotifyPayload = z.object({
  conversationId: z.string().min(1),
  reason: z.string(),
});
export type HandoffNotifyPayload = z.infer<typeof handoffNotifyPayload>;

export const processJobPayload = z.object({
  conversationId: z.string().min(1),
  messageId: z.string().min(1),
});
export type ProcessJobPayload = z.infer<typeof processJobPayload>;

export const deliverJobPayload = z.object({
  messageId: z.string().min(1),
  /** For log lines and traces; absent on jobs queued by earlier versions. */
  conversationId: z.string().optional(),
});
export type DeliverJobPayload = z.infer<typeof deliverJobPayload>;

/**
 * A guardrail decision as the pipeline needs it. guardrails/ produces it; main.ts plugs the
 * policy in, so conversations/ and agents/ never depend on the guardrails engine.
 */
export interface Screening {
  action: "allow" | "block" | "redact" | "escalate" | "fallback" | "tag";
  /** The rule whose action won. */
  rule?: string;
  /** The text to deliver ("" when blocked). */
  text: string;
  /** The text with redaction rules applied, whatever the action: what may be stored. */
  redacted: string;
  /** Safe reply (block) or canned answer (fallback) to send instead. */
  reply?: string;
  findings: {
    type: string;
    start: number;
    end: number;
    rule: string;
    score: number;
    evidence?: Record<string, unknown>;
  }[];
}

/**
 * Policy actions on an agent's reply that mean it wrote something it must not have: what
 * rollouts and metrics count as a violation (`tag` and `allow` are not).
 */
export const VIOLATION_ACTIONS: ReadonlySet<string> = new Set([
  "block",
  "redact",
  "escalate",
  "fallback",
]);

export interface ScreenInput {
  direction: "inbound" | "outbound";
  /** Channel type (`sms`, `webchat`...), which policies scope rules by. */
  channel: string;
  text: string;
  /** `country`: the customer's ISO 3166-1 alpha-2 country, when the channel knows it. */
  context?: { firstOutbound?: boolean; country?: string };
}

export type ScreenMessage = (input: ScreenInput) => Screening;
/** A screen that may wait for the guardrails' model tier (`Guard.screen`); sync ones fit. */
export type ScreenAllTiers = (input: ScreenInput) => Screening | Promise<Screening>;

/** What is kept on a message about its screening (`meta.guardrails`), for the audit trail. */
export function screeningRecord(s: Screening) {
  return {
    action: s.action,
    ...(s.rule ? { rule: s.rule } : {}),
    ...(s.reply ? { reply: s.reply } : {}),
    findings: s.findings.map(({ type, start, end, rule, score, evidence }) => ({
      type,
      start,
      end,
      rule,
      score,
      ...(evidence ? { evidence } : {}),
    })),
  };
}

export type ScreeningRecord = ReturnType<typeof screeningRecord>;
