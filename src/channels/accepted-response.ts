import type { AcceptedMessage } from "../conversations/index.ts";
import type { WebhookResponse } from "./channel.ts";

/**
 * `202 {"conversationId","messageId"}` for our own JSON-style webhooks (generic, email),
 * with `"duplicate": true` when the message was already stored, and `{"ignored": true}`
 * when the request carried nothing to store.
 */
export function acceptedResponse(accepted: AcceptedMessage[]): WebhookResponse {
  const first = accepted[0];
  if (!first) return { status: 202, body: { ignored: true } };
  return {
    status: 202,
    body: {
      conversationId: first.conversationId,
      messageId: first.messageId,
      ...(first.duplicate ? { duplicate: true } : {}),
    },
  };
}
