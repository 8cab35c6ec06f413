import type { Logger } from "pino";
import type { z } from "zod";
import type { InboundMessage, StatusUpdate, TakenMessage } from "../conversations/index.ts";
import type { ChannelTraits } from "../shared/channel-traits.ts";
import type { Clock } from "../shared/clock.ts";
import type { EgressFetch } from "../shared/egress/index.ts";
import type { Attachment } from "../store/index.ts";

/** An HTTP request to `/webhooks/:channelId`, with the exact bytes the vendor signed. */
export interface WebhookRequest {
  method: string;
  /** The public URL the vendor called (signatures that cover the URL use this). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
}

export interface WebhookResult {
  messages: InboundMessage[];
  statuses: StatusUpdate[];
  /** Set when the signature covers a timestamp: the route accepts this call once. */
  nonce?: SignedNonce;
}

/**
 * A value the signature makes unique to one call (Sinch's nonce, our signature over a
 * timestamp), and when that timestamp leaves its window. The route remembers it until then
 * (`store.seenNonces`), so an exact copy is refused inside the window and a late one by the
 * timestamp check.
 */
export interface SignedNonce {
  value: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export interface WebhookResponse {
  status: number;
  body: unknown;
  /** Defaults to JSON; Twilio expects `text/xml` (TwiML), a verification challenge `text/plain`. */
  contentType?: string;
}

/** A `GET /webhooks/:channelId` call: the subscription handshake some vendors make. */
export interface VerificationRequest {
  query: Record<string, string | undefined>;
}

export interface OutboundMessage {
  /** Our message id; channels pass it to the vendor as the idempotency key where they can. */
  id: string;
  conversationId: string;
  /** The customer's address on this channel. */
  to: string;
  text: string;
  attachments: Attachment[];
  createdAt: number;
  /** The outbound message's meta (e.g. a WhatsApp `template` to send instead of text). */
  meta: Record<string, unknown>;
  /** Vendor id of the customer's latest message in the conversation (threading, replies). */
  inReplyTo: string | null;
  /**
   * That message's channel facts (`meta` as its channel parsed it: email subject, the Sinch
   * channel the customer used...), `{}` when there is none.
   */
  inReplyToMeta: Record<string, unknown>;
}

export interface SendResult {
  providerMessageId?: string;
}

/**
 * A send that failed. `retryable: false` dead-letters at once (e.g. a 400 from the vendor);
 * `retryAfterMs` (from a 429 or 503 `Retry-After`) delays the next attempt at least that
 * long; `vendorCode` is the vendor's own error code, kept on the failed message.
 */
export class ChannelSendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly options: { retryAfterMs?: number; vendorCode?: string } = {},
  ) {
    super(message);
  }
}

export interface Channel {
  readonly id: string;
  readonly type: string;
  /** Set by the registry from the type's `retriesRefused` trait (see ChannelRef). */
  readonly retriesRefused?: boolean;
  /** Verify and parse a webhook call; throws MainstayError (bad signature, bad body). */
  handleWebhook?(request: WebhookRequest): WebhookResult | Promise<WebhookResult>;
  /** Answer the vendor's GET handshake (WhatsApp's `hub.challenge`); throws when it fails. */
  handleVerification?(request: VerificationRequest): WebhookResponse;
  /** The HTTP answer once the messages are stored. */
  webhookResponse?(accepted: TakenMessage[]): WebhookResponse;
  send(message: OutboundMessage, signal: AbortSignal): Promise<SendResult>;
}

/** Replies pushed to customers' open connections, on whichever instance holds them. */
export interface LiveReplies {
  /** Tell every instance (this one too) that outbound message `messageId` is to be pushed. */
  announce(messageId: string): Promise<void>;
}

export interface ChannelDeps {
  logger: Logger;
  clock: Clock;
  /** Public base URL of this server (`server.publicUrl`), for signatures and callbacks. */
  publicUrl?: string;
  /** Channels that push replies over sockets (web chat) need it. */
  liveReplies?: LiveReplies;
  /** Every vendor call and callback goes through the server's egress policy. */
  fetch?: EgressFetch;
}

/**
 * One per folder under channels/: its config schema, what the type is like (traits, read
 * by compliance and guardrails instead of type names) and how to build it.
 */
export interface ChannelDefinition<S extends z.ZodType = z.ZodType, T extends string = string> {
  type: T;
  configSchema: S;
  traits: ChannelTraits;
  create(config: z.infer<S>, deps: ChannelDeps): Channel;
}
