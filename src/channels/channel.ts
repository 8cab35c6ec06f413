import type { Logger } from "pino";
import type { z } from "zod";
import type { AcceptedMessage, InboundMessage, StatusUpdate } from "../conversations/index.ts";
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
}

export interface WebhookResponse {
  status: number;
  body: unknown;
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
}

export interface SendResult {
  providerMessageId?: string;
}

/** A send that failed; `retryable: false` dead-letters at once (e.g. a 400 from the vendor). */
export class ChannelSendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export interface Channel {
  readonly id: string;
  readonly type: string;
  /** Verify and parse a webhook call; throws MainstayError (bad signature, bad body). */
  handleWebhook?(request: WebhookRequest): WebhookResult;
  /** The HTTP answer once the messages are stored. */
  webhookResponse?(accepted: AcceptedMessage[]): WebhookResponse;
  send(message: OutboundMessage, signal: AbortSignal): Promise<SendResult>;
}

export interface ChannelDeps {
  logger: Logger;
}

/** One per folder under channels/: its config schema and how to build it. */
export interface ChannelDefinition<S extends z.ZodType = z.ZodType> {
  type: string;
  configSchema: S;
  create(config: z.infer<S>, deps: ChannelDeps): Channel;
}
