import { z } from "zod";
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

/** The part of a WebSocket the channel needs, so tests can pass a fake. */
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
  | { type: "error"; code: string; message: string };

export interface ChatMessageView {
  id: string;
  direction: "inbound" | "outbound";
  text: string;
  createdAt: number;
}

export interface WebchatChannel extends Channel {
  readonly config: WebchatConfig;
  /** Register an open socket for a session; returns the function that removes it. */
  attach(sessionId: string, socket: ChatSocket): () => void;
}

/**
 * Web chat: customers talk over a WebSocket from the page at `GET /chat/:channelId`. The
 * session id the page keeps in localStorage is the customer's address, so a reconnect
 * (or a reload) resumes the same conversation. Replies are pushed to every open socket of
 * the session; a session with none sees them in the history on its next connect.
 */
export const webchatChannel: ChannelDefinition<typeof configSchema> = {
  type: "webchat",
  configSchema,
  create(config): WebchatChannel {
    const sessions = new Map<string, Set<ChatSocket>>();
    return {
      id: config.id,
      type: "webchat",
      config,
      attach(sessionId, socket) {
        let set = sessions.get(sessionId);
        if (!set) {
          set = new Set();
          sessions.set(sessionId, set);
        }
        set.add(socket);
        return () => {
          set.delete(socket);
          if (set.size === 0) sessions.delete(sessionId);
        };
      },
      async send(message) {
        const frame: ServerFrame = {
          type: "message",
          message: {
            id: message.id,
            direction: "outbound",
            text: message.text,
            createdAt: message.createdAt,
          },
        };
        const data = JSON.stringify(frame);
        for (const socket of sessions.get(message.to) ?? []) socket.send(data);
        return {};
      },
    };
  },
};

export const isWebchatChannel = (channel: Channel): channel is WebchatChannel =>
  channel.type === "webchat";
