import { handoffNotifyPayload } from "../../conversations/index.ts";
import { type JobHandler, readJobPayload } from "../../jobs/index.ts";
import type { EgressFetch } from "../../shared/egress/index.ts";
import { hmacSha256Hex } from "../../shared/hmac.ts";
import type { Message, Store } from "../../store/index.ts";

export interface HandoffWebhook {
  url: string;
  /** Signs the body like the generic channel: `X-Mainstay-Signature: sha256=<hex>`. */
  secret: string;
  timeoutMs: number;
}

const cut = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

/**
 * A short, extractive summary for the person taking over: what the customer said last and
 * what they were told, so nobody has to ask again. No model is involved.
 */
export function handoffSummary(messages: Message[]): string {
  const customer = messages.filter((m) => m.direction === "inbound").slice(-3);
  const lastAnswer = messages.filter((m) => m.direction === "outbound").at(-1);
  const lines = customer.map((m) => `Customer: ${cut(m.text, 200)}`);
  if (lastAnswer) lines.push(`Last answer (${lastAnswer.author}): ${cut(lastAnswer.text, 200)}`);
  return lines.join("\n");
}

/**
 * The `handoff.notify` job: POST the handoff (reason, summary, where to reply) to the team's
 * webhook. It is a job so an unreachable webhook is retried, never lost.
 */
export function handoffNotifier(
  store: Store,
  webhook: HandoffWebhook,
  send: EgressFetch = fetch,
): JobHandler {
  return {
    async run(job) {
      const { conversationId, reason } = readJobPayload(job, handoffNotifyPayload);
      const conversation = await store.conversations.get(conversationId);
      if (!conversation) return;
      const recent = await store.messages.recent(conversationId, 10);
      const body = JSON.stringify({
        type: "conversation.handoff",
        conversationId,
        channelId: conversation.channelId,
        contactId: conversation.contactId,
        reason,
        summary: handoffSummary(recent),
        reply: `POST /api/v1/conversations/${conversationId}/messages`,
      });
      const response = await send(webhook.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-mainstay-signature": `sha256=${hmacSha256Hex(webhook.secret, body)}`,
          "idempotency-key": `handoff-${job.id}`,
        },
        body,
        signal: AbortSignal.timeout(webhook.timeoutMs),
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`handoff webhook answered HTTP ${response.status}`);
    },
  };
}
