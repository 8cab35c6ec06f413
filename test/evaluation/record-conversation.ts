import { newId } from "../../src/shared/ids.ts";
import type { Store } from "../../src/store/index.ts";

export interface ScriptedExchange {
  /** The customer's message as the pipeline stores it (redacted). */
  customer: string;
  reply: string;
  meta?: Record<string, unknown>;
  handoff?: string;
}

/**
 * Store a conversation the way the pipeline leaves it: the customer's messages, each reply
 * pointing at the message it answers (`meta.inReplyTo`), and handoff events.
 */
export async function recordConversation(
  store: Store,
  input: { address: string; agentVersion: string; exchanges: ScriptedExchange[] },
  now: number,
): Promise<string> {
  const identity = await store.contacts.resolveIdentity("generic", input.address, null, now);
  const conversation = await store.conversations.create(
    {
      contactId: identity.contactId,
      identityId: identity.id,
      channelId: "api",
      channelType: "generic",
      agentId: "support",
      agentVersion: input.agentVersion,
    },
    now,
  );
  for (const exchange of input.exchanges) {
    const inboundId = newId("msg", now);
    const base = { conversationId: conversation.id, channelId: "api" };
    await store.messages.insert(
      {
        ...base,
        id: inboundId,
        direction: "inbound",
        author: "customer",
        text: exchange.customer,
        status: "received",
      },
      now,
    );
    const replyId = newId("msg", now);
    await store.messages.insert(
      {
        ...base,
        id: replyId,
        direction: "outbound",
        author: "agent",
        text: exchange.reply,
        status: "sent",
        agentId: "support",
        agentVersion: input.agentVersion,
        meta: { inReplyTo: inboundId, latencyMs: 120, ...exchange.meta },
      },
      now,
    );
    if (exchange.handoff) {
      await store.events.append(
        conversation.id,
        "conversation.handoff",
        { reason: exchange.handoff, messageId: replyId },
        now,
      );
    }
  }
  return conversation.id;
}

/** Four recorded conversations of the example agent, as the built-in agent answered them. */
export async function recordExampleTraffic(store: Store, now: number): Promise<void> {
  const talks: [string, ScriptedExchange[]][] = [
    [
      "+15550101",
      [
        {
          customer: "How long does delivery take?",
          reply: "Standard delivery takes 2–4 business days and is free on orders over $50.",
        },
      ],
    ],
    [
      "+15550102",
      [
        {
          customer: "When will I get my refund?",
          reply: "Refunds go back to your original payment method within 5 business days.",
        },
      ],
    ],
    [
      "+15550103",
      [
        { customer: "Good morning, quick question", reply: "Hi! What can I help you with today?" },
        {
          customer: "Do you repair cracked screens?",
          reply: "Yes, most screen repairs are done in store the same day, from $79.",
        },
      ],
    ],
    [
      "+15550104",
      [
        {
          customer: "my card is [CARD], what is your return policy?",
          reply: "You can return any device within 30 days of delivery for a full refund.",
          meta: { guardrails: { action: "tag", findings: [{ type: "disclosure.missing" }] } },
        },
      ],
    ],
  ];
  for (const [i, [address, exchanges]] of talks.entries()) {
    await recordConversation(store, { address, agentVersion: "1", exchanges }, now + i * 1000);
  }
}
