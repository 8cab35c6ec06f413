import type { Attachment } from "../store/index.ts";

/** A customer message as a channel parsed it, before it is stored. */
export interface InboundMessage {
  /** The vendor's id for the message; inbound dedupe keys on (channel, this). */
  providerMessageId: string | null;
  /** The customer's address on this channel (phone number, session id, user id). */
  from: string;
  displayName?: string;
  text: string;
  attachments?: Attachment[];
}

/** A delivery receipt for a message we sent. */
export interface StatusUpdate {
  providerMessageId: string;
  status: "sent" | "delivered" | "read" | "failed";
  error?: string;
}

/** What the pipeline did with an inbound message. */
export interface AcceptedMessage {
  conversationId: string;
  messageId: string;
  /** True when (channel, provider message id) was already stored: nothing new was done. */
  duplicate: boolean;
}

export interface ChannelRef {
  id: string;
  type: string;
}

/** Job kinds the conversation pipeline enqueues. */
export const PROCESS_JOB = "conversation.process";
export const DELIVER_JOB = "message.deliver";

export interface ProcessJobPayload {
  conversationId: string;
  messageId: string;
}

export interface DeliverJobPayload {
  messageId: string;
}
