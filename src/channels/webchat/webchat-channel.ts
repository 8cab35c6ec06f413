import { z } from "zod";
import { MainstayError } from "../../shared/errors.ts";
import type { Channel, ChannelDefinition } from "../channel.ts";

const configSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, - and _"),
    type: z.literal("webchat"),
    /** Shown in the chat page header. */
    title: z.string().min(1).default("Chat with us"),
    /** First bubble shown before the customer writes (not stored). */
    greeting: z.string().optional(),
    /**
     * Sites allowed to embed the chat page in an iframe (sent as the CSP `frame-ancestors`
     * directive). Empty: any site may, as usual for a public support widget.
     */
    embedOrigins: z.array(z.url().transform((u) => new URL(u).origin)).default([]),
  })
  .strict();

export type WebchatConfig = z.infer<typeof configSchema>;

/** The part of a WebSocket the relay needs, so tests can pass a fake. */
export interface ChatSocket {
  send(data: string): void;
}

/** Frames the server sends (documented in docs/channels.md). */
export type ServerFrame =
  | {
      type: "history";
      conversationId: string | null;
      messages: ChatMessageView[];
    }
  | { type: "message"; message: ChatMessageView }
  | { type: "ack"; clientId: string; messageId: string; conversationId: string }
  | { type: "feedback"; thumbs: "up" | "down" }
  | {
      type: "error";
      code: string;
      message: string;
      /** The refused line, and when to send it again (a message limit). */
      clientId?: string;
      retryAfterMs?: number;
    };

export interface ChatMessageView {
  id: string;
  direction: "inbound" | "outbound";
  text: string;
  createdAt: number;
  /** Who wrote it: the customer, the bot (`agent`), a person (`human`) or Mainstay. */
  author: "customer" | "agent" | "human" | "system";
  /** The person's name on their replies (`human`) and on the line saying they joined. */
  name?: string;
  /** A line about the conversation rather than in it: `operator_joined` ("Ana joined"). */
  notice?: string;
}

export interface WebchatChannel extends Channel {
  readonly config: WebchatConfig;
}

/**
 * Web chat: customers talk over a WebSocket from the page at `GET /chat/:channelId`. The
 * session id the page keeps in localStorage is the customer's address, so a reconnect
 * (or a reload) resumes the same conversation. Sending a reply announces it (`LiveReplies`,
 * the `WebchatRelay`): the instances holding the session's sockets push it, and it counts
 * as delivered only once a socket acknowledges it.
 */
export const webchatChannel: ChannelDefinition<typeof configSchema> = {
  type: "webchat",
  traits: {
    addresses: "opaque",
    maxChars: 5000,
    confirmsOptOut: false,
    // The page acknowledges each pushed reply (`received`), which marks it delivered.
    receipts: true,
    idempotentSends: true,
    // The chat page sends a refused line again after the Retry-After it is told.
    retriesRefused: true,
    // The page shows "Ana joined" and the operator's name on their replies.
    showsOperators: true,
  },
  configSchema,
  create(config, deps): WebchatChannel {
    const { liveReplies } = deps;
    if (!liveReplies) {
      // A wiring mistake in the composition root, not the user's.
      throw new MainstayError("MS_INTERNAL", `web chat ${config.id} has no live replies`, 500);
    }
    return {
      id: config.id,
      type: "webchat",
      config,
      async send(message) {
        await liveReplies.announce(message.id);
        return {};
      },
    };
  },
};

export const isWebchatChannel = (channel: Channel): channel is WebchatChannel =>
  channel.type === "webchat";
