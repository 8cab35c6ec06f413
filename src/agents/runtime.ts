import type { Logger } from "pino";
import type { ConversationService, ProcessJobPayload } from "../conversations/index.ts";
import type { JobHandler } from "../jobs/index.ts";
import type { Clock } from "../shared/clock.ts";
import type { Message } from "../store/index.ts";
import type { Agent, AgentTurn } from "./agent.ts";

export interface AgentRuntimeOptions {
  service: ConversationService;
  agent: Agent;
  clock: Clock;
  logger: Logger;
  /** Earlier messages given to the agent as context. */
  historyLimit?: number;
  timeoutMs?: number;
}

const ROLE: Record<Message["author"], AgentTurn["role"]> = {
  customer: "customer",
  agent: "agent",
  human: "human",
  system: "system",
};

/**
 * The `process` job: answer one inbound message. The reply, and a handoff when the agent
 * asks for one, are stored with the reply's delivery job in one transaction, after
 * checking again that the bot still owns the conversation: a reply generated while a
 * person took over is dropped, never sent.
 */
export function agentRuntime(options: AgentRuntimeOptions): JobHandler {
  const { service, agent, clock, logger } = options;
  const store = service.store;
  return {
    async run(job) {
      const { conversationId, messageId } = job.payload as unknown as ProcessJobPayload;
      const conversation = await store.conversations.get(conversationId);
      if (conversation?.state !== "bot") return;
      const history = await store.messages.recent(conversationId, options.historyLimit ?? 20);
      // A retried job whose reply was already stored must not answer twice.
      if (history.some((m) => m.meta["inReplyTo"] === messageId)) return;
      const inbound =
        history.find((m) => m.id === messageId) ?? (await store.messages.get(messageId));
      if (!inbound) return;
      const started = clock.now();
      const reply = await agent.respond(
        {
          conversationId,
          contactId: conversation.contactId,
          channel: conversation.channelType,
          history: history
            .filter((m) => m.id < messageId)
            .map((m) => ({ role: ROLE[m.author], text: m.text })),
          text: inbound.text,
        },
        AbortSignal.timeout(options.timeoutMs ?? 30_000),
      );
      const latencyMs = clock.now() - started;
      await service.transact(async (tx) => {
        const current = await tx.conversations.get(conversationId);
        if (current?.state !== "bot") {
          logger.info({ conversationId }, "reply dropped: conversation left the bot meanwhile");
          return;
        }
        const message = await service.queueOutbound(tx, current, {
          text: reply.text,
          author: "agent",
          agentId: agent.id,
          agentVersion: agent.version,
          meta: {
            inReplyTo: messageId,
            latencyMs,
            ...(reply.confidence !== undefined ? { confidence: reply.confidence } : {}),
            ...reply.meta,
          },
        });
        if (reply.handoff) {
          const now = clock.now();
          await tx.conversations.setState(conversationId, "human", now);
          await tx.events.append(
            conversationId,
            "conversation.handoff",
            { reason: reply.handoff.reason, messageId: message.id },
            now,
          );
        }
      });
    },
  };
}
