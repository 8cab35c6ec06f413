import type { FastifyInstance } from "fastify";
import { z } from "zod";
import {
  assignConversation,
  type ConversationService,
  type ScreenMessage,
  screeningRecord,
} from "../../conversations/index.ts";
import { MainstayError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/parse-input.ts";
import type { Conversation } from "../../store/index.ts";
import { principalOf } from "../auth/index.ts";
import { messageView } from "../views.ts";
import { showsOperators } from "./inbox.ts";

const idParams = z.object({ id: z.string().min(1).max(100) });
const replyBody = z
  .object({
    text: z.string().trim().min(1).max(4000),
    /**
     * Who is writing (default: the caller's principal name); on channels that show
     * operators (web chat) the customer sees it on the reply.
     */
    agentName: z.string().min(1).max(100).optional(),
    /** `marketing` for a promotional send; the delivery gate checks consent for it. */
    purpose: z.enum(["service", "marketing"]).optional(),
  })
  .strict();
const handbackBody = z.object({ agentName: z.string().min(1).max(100).optional() }).strict();

/**
 * People in the loop: a human replies through the same outbox and the same outbound
 * policy (PII is redacted, a blocked text is refused so it can be rephrased, an opted-out
 * customer is never written to), and hands the conversation back to the bot.
 */
export async function humanReplyRoutes(
  app: FastifyInstance,
  opts: {
    service: ConversationService;
    screen?: ScreenMessage;
    /** Whether a configured channel delivers on this channel id. */
    canDeliver: (channelId: string) => boolean;
  },
) {
  const { service } = opts;

  async function open(id: string): Promise<Conversation> {
    const conversation = await service.store.conversations.get(id);
    if (!conversation) throw new MainstayError("MS_NOT_FOUND", `conversation ${id} not found`, 404);
    if (conversation.state === "closed") {
      throw new MainstayError("MS_CONVERSATION_CLOSED", `conversation ${id} is closed`, 409);
    }
    return conversation;
  }

  app.post("/api/v1/conversations/:id/messages", async (request, reply) => {
    const { id } = parseInput(idParams, request.params, "params");
    const body = parseInput(replyBody, request.body, "body");
    const conversation = await open(id);
    if (!opts.canDeliver(conversation.channelId)) {
      throw new MainstayError(
        "MS_CHANNEL_NOT_REPLYABLE",
        `conversation ${id} is on "${conversation.channelId}", which has no channel to deliver a reply (proxy exchanges are records only)`,
        409,
      );
    }
    const screening = opts.screen?.({
      direction: "outbound",
      channel: conversation.channelType,
      text: body.text,
    });
    if (screening?.action === "block" || screening?.action === "fallback") {
      throw new MainstayError(
        "MS_POLICY_BLOCKED",
        `rule ${screening.rule ?? "policy"} blocks this text (${screening.findings.map((f) => f.type).join(", ")}); rephrase it`,
        422,
      );
    }
    const by = principalOf(request).name;
    const agentName = body.agentName ?? by;
    const message = await service.transact(async (tx) => {
      // A person answering takes the conversation over: the bot stops at once.
      if (conversation.state === "bot") {
        await service.handOff(tx, id, "human_took_over", { agentName });
      }
      // Nobody had it: it is the replier's now (and the customer sees them join first).
      if (conversation.assignee === null) {
        await assignConversation(service, tx, conversation, {
          assignee: agentName,
          by,
          event: "conversation.assigned",
          announce: showsOperators(conversation),
        });
      }
      return service.queueOutbound(tx, conversation, {
        text: screening?.text ?? body.text,
        author: "human",
        meta: {
          agentName,
          ...(body.purpose ? { purpose: body.purpose } : {}),
          ...(screening ? { guardrails: screeningRecord(screening) } : {}),
        },
      });
    });
    return reply.status(202).send(messageView(message));
  });

  app.post("/api/v1/conversations/:id/handback", async (request) => {
    const { id } = parseInput(idParams, request.params, "params");
    const body = parseInput(handbackBody, request.body ?? {}, "body");
    const conversation = await open(id);
    if (conversation.state !== "human") {
      throw new MainstayError("MS_NOT_HANDED_OFF", `conversation ${id} is not with a person`, 409);
    }
    await service.transact((tx) => service.handBack(tx, id, body.agentName ?? "api"));
    return { id, state: "bot" };
  });
}
