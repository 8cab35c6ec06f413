import type { FastifyInstance } from "fastify";
import type { WebSocket } from "ws";
import { z } from "zod";
import {
  type Channel,
  chatView,
  isWebchatChannel,
  type ServerFrame,
  type WebchatChannel,
  type WebchatRelay,
} from "../../channels/index.ts";
import { renderChatPage } from "../../channels/webchat/chat-page.ts";
import {
  type AcceptedMessage,
  type ConversationService,
  recordFeedback,
} from "../../conversations/index.ts";
import type { RateLimit } from "../../limits/index.ts";
import type { Intake } from "../../monitoring/index.ts";
import { isMainstayError, MainstayError } from "../../shared/errors.ts";

const clientFrame = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("message"),
    /** Client-side id, so a resent frame after a reconnect is stored once. */
    id: z.string().min(1).max(100),
    text: z.string().trim().min(1).max(4000),
  }),
  /** The customer rates the conversation (a rollout signal). */
  z.object({ type: z.literal("feedback"), thumbs: z.enum(["up", "down"]) }),
  /** The page shows reply `id`: only now does it count as delivered. */
  z.object({ type: z.literal("received"), id: z.string().min(1).max(100) }),
]);

const SESSION = /^[A-Za-z0-9_-]{16,128}$/;

/** Frames read but not yet handled, per socket: a client sending faster is cut off. */
const MAX_PENDING_FRAMES = 50;

/** What one client address may open: sockets at once here, new sessions over time. */
export interface WebchatLimits {
  sessions: RateLimit;
  socketsPerAddress: number;
  /** Told of every refusal (metrics). */
  onLimited?: (limit: string) => void;
}

export async function webchatRoutes(
  app: FastifyInstance,
  opts: {
    channels: ReadonlyMap<string, Channel>;
    service: ConversationService;
    relay: WebchatRelay;
    /** Wraps storing each frame's message (metrics, traces). */
    intake: Intake;
    limits?: WebchatLimits;
  },
) {
  const { channels, service, relay, limits } = opts;
  // Open sockets are this process's own, so they are counted here (per instance).
  const openSockets = new Map<string, number>();
  const find = (channelId: string): WebchatChannel => {
    const channel = channels.get(channelId);
    if (!channel || !isWebchatChannel(channel)) {
      throw new MainstayError("MS_CHANNEL_NOT_FOUND", `no web chat channel "${channelId}"`, 404);
    }
    return channel;
  };

  app.get("/chat/:channelId", async (request, reply) => {
    const channel = find((request.params as { channelId: string }).channelId);
    const ancestors = channel.config.embedOrigins;
    if (ancestors.length > 0) {
      reply.header("content-security-policy", `frame-ancestors 'self' ${ancestors.join(" ")}`);
    }
    return reply.type("text/html; charset=utf-8").send(renderChatPage(channel.config));
  });

  app.get("/chat/:channelId/ws", { websocket: true }, (socket: WebSocket, request) => {
    const send = (frame: ServerFrame) => socket.send(JSON.stringify(frame));
    const fail = (code: string, message: string) => {
      send({ type: "error", code, message });
      socket.close(1008, code);
    };
    const channelId = (request.params as { channelId: string }).channelId;
    const channel = channels.get(channelId);
    if (!channel || !isWebchatChannel(channel)) return fail("MS_CHANNEL_NOT_FOUND", channelId);
    const session = (request.query as { session?: string }).session ?? "";
    if (!SESSION.test(session)) {
      return fail("MS_BAD_REQUEST", "query.session: 16-128 letters, digits, - or _");
    }
    const address = request.ip;
    const open = openSockets.get(address) ?? 0;
    if (limits && open >= limits.socketsPerAddress) {
      limits.onLimited?.("webchat.sockets");
      return fail("MS_RATE_LIMITED", `at most ${limits.socketsPerAddress} open chats per address`);
    }
    openSockets.set(address, open + 1);
    const detach = relay.attach(channelId, session, socket);
    socket.on("close", () => {
      detach();
      const left = (openSockets.get(address) ?? 1) - 1;
      if (left > 0) openSockets.set(address, left);
      else openSockets.delete(address);
    });

    // Frames are handled one after another so a customer's messages keep their order.
    let pending = 0;
    // Frames that arrive before a refused session is closed are not handled either.
    let admitted = false;
    let queue: Promise<void> = admitSession().then((ok) => {
      admitted = ok;
      return ok ? resume() : undefined;
    });
    socket.on("message", (data) => {
      if (++pending > MAX_PENDING_FRAMES) return fail("MS_RATE_LIMITED", "too many frames at once");
      queue = queue.then(async () => {
        if (admitted) await handleFrame(String(data));
        pending--;
      });
    });

    /** A session this address has not used before counts against its new-session limit. */
    async function admitSession(): Promise<boolean> {
      if (!limits) return true;
      try {
        if (await service.store.contacts.findIdentity("webchat", session)) return true;
        const verdict = await limits.sessions.take(address);
        if (verdict.ok) return true;
        limits.onLimited?.(verdict.limit);
        fail("MS_RATE_LIMITED", "too many new chats from this address; try again later");
      } catch (e) {
        request.log.error({ err: e }, "web chat session check failed");
        fail("MS_INTERNAL", "could not open the chat");
      }
      return false;
    }

    /** The conversation so far, then the replies no socket acknowledged yet, pushed again. */
    async function resume() {
      try {
        const conversation = await findConversation();
        const messages = conversation
          ? await service.store.messages.recent(conversation.id, 200)
          : [];
        send({
          type: "history",
          conversationId: conversation?.id ?? null,
          messages: messages.map(chatView),
        });
        if (conversation) await relay.pushPending(channelId, session, conversation.id);
      } catch (e) {
        request.log.error({ err: e }, "web chat history failed");
        send({ type: "error", code: "MS_INTERNAL", message: "could not load the conversation" });
      }
    }

    async function findConversation() {
      const identity = await service.store.contacts.findIdentity("webchat", session);
      return identity && service.store.conversations.findOpen(identity.id, channelId);
    }

    async function handleFrame(data: string) {
      let json: unknown;
      try {
        json = JSON.parse(data);
      } catch {
        return send({ type: "error", code: "MS_JSON_INVALID", message: "frame is not JSON" });
      }
      const frame = clientFrame.safeParse(json);
      if (!frame.success) {
        const issue = frame.error.issues[0]!;
        return send({
          type: "error",
          code: "MS_BAD_REQUEST",
          message: `${issue.path.join(".") || "frame"}: ${issue.message}`,
        });
      }
      if (frame.data.type === "feedback") return feedback(frame.data.thumbs);
      if (frame.data.type === "received") return received(frame.data.id);
      const { id, text } = frame.data;
      try {
        // Chat frames are stored before the ack (which names the conversation), not queued.
        let accepted: AcceptedMessage | undefined;
        await opts.intake(channel as WebchatChannel, async () => {
          accepted = await service.receive(channel as WebchatChannel, {
            providerMessageId: `${session}:${id}`,
            from: session,
            text,
          });
          return { accepted: [accepted], statuses: [] };
        });
        if (!accepted) throw new Error("the intake returned without storing the frame");
        send({
          type: "ack",
          clientId: id,
          messageId: accepted.messageId,
          conversationId: accepted.conversationId,
        });
      } catch (e) {
        if (isMainstayError(e) && e.code === "MS_RATE_LIMITED") {
          // The page keeps the line and sends it again after the delay.
          const { retryAfterSeconds } = e.details as { retryAfterSeconds: number };
          return send({
            type: "error",
            code: e.code,
            message: e.message,
            clientId: id,
            retryAfterMs: retryAfterSeconds * 1000,
          });
        }
        request.log.error({ err: e }, "web chat message failed");
        send({ type: "error", code: "MS_INTERNAL", message: "message not stored; send it again" });
      }
    }

    async function received(messageId: string) {
      try {
        if (await relay.acknowledge(channelId, session, messageId)) return;
        send({ type: "error", code: "MS_NOT_FOUND", message: `no reply ${messageId} here` });
      } catch (e) {
        // The reply stays unacknowledged and is pushed again on the next connect.
        request.log.error({ err: e, messageId }, "web chat receipt failed");
      }
    }

    async function feedback(thumbs: "up" | "down") {
      const conversation = await findConversation();
      if (!conversation) {
        return send({
          type: "error",
          code: "MS_NOT_FOUND",
          message: "no conversation to rate yet",
        });
      }
      try {
        await recordFeedback(service.store, conversation.id, { thumbs }, "webchat", service.now());
        send({ type: "feedback", thumbs });
      } catch (e) {
        request.log.error({ err: e }, "web chat feedback failed");
        send({ type: "error", code: "MS_INTERNAL", message: "feedback not stored" });
      }
    }
  });
}
