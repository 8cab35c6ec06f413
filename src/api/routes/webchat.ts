import type { FastifyInstance } from "fastify";
import type { WebSocket } from "ws";
import { z } from "zod";
import {
  type Channel,
  type ChatMessageView,
  isWebchatChannel,
  type ServerFrame,
  type WebchatChannel,
} from "../../channels/index.ts";
import { renderChatPage } from "../../channels/webchat/chat-page.ts";
import { type ConversationService, recordFeedback } from "../../conversations/index.ts";
import type { Intake } from "../../monitoring/index.ts";
import { MainstayError } from "../../shared/errors.ts";
import type { Message } from "../../store/index.ts";

const clientFrame = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("message"),
    /** Client-side id, so a resent frame after a reconnect is stored once. */
    id: z.string().min(1).max(100),
    text: z.string().trim().min(1).max(4000),
  }),
  /** The customer rates the conversation (a rollout signal). */
  z.object({ type: z.literal("feedback"), thumbs: z.enum(["up", "down"]) }),
]);

const SESSION = /^[A-Za-z0-9_-]{16,128}$/;

const view = (m: Message): ChatMessageView => ({
  id: m.id,
  direction: m.direction,
  text: m.text,
  createdAt: m.createdAt,
});

export async function webchatRoutes(
  app: FastifyInstance,
  opts: {
    channels: ReadonlyMap<string, Channel>;
    service: ConversationService;
    /** Wraps storing each frame's message (metrics, traces). */
    intake: Intake;
  },
) {
  const { channels, service } = opts;
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
    const detach = channel.attach(session, socket);
    socket.on("close", detach);

    // Frames are handled one after another so a customer's messages keep their order.
    let queue: Promise<void> = sendHistory();
    socket.on("message", (data) => {
      queue = queue.then(() => handleFrame(String(data)));
    });

    async function sendHistory() {
      try {
        const conversation = await findConversation();
        const messages = conversation
          ? await service.store.messages.recent(conversation.id, 200)
          : [];
        send({
          type: "history",
          conversationId: conversation?.id ?? null,
          messages: messages.map(view),
        });
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
      const { id, text } = frame.data;
      try {
        const stored = await opts.intake(channel as WebchatChannel, async () => ({
          accepted: [
            await service.receive(channel as WebchatChannel, {
              providerMessageId: `${session}:${id}`,
              from: session,
              text,
            }),
          ],
          statuses: [],
        }));
        const accepted = stored.accepted[0]!;
        send({
          type: "ack",
          clientId: id,
          messageId: accepted.messageId,
          conversationId: accepted.conversationId,
        });
      } catch (e) {
        request.log.error({ err: e }, "web chat message failed");
        send({ type: "error", code: "MS_INTERNAL", message: "message not stored; send it again" });
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
