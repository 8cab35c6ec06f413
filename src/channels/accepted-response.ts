import { isQueued, type TakenMessage } from "../conversations/index.ts";
import type { WebhookResponse } from "./channel.ts";

/**
 * `202 {"conversationId","messageId"}` for our own JSON-style webhooks (generic, email),
 * with `"duplicate": true` when the message was already stored, `{"messageId","queued":
 * true}` when the queued intake took it in, and `{"ignored": true}` when the request
 * carried nothing to store.
 */
export function acceptedResponse(accepted: TakenMessage[]): WebhookResponse {
  const first = accepted[0];
  if (!first) return { status: 202, body: { ignored: true } };
  if (isQueued(first)) return { status: 202, body: { messageId: first.messageId, queued: true } };
  return {
    status: 202,
    body: {
      conversationId: first.conversationId,
      messageId: first.messageId,
      ...(first.duplicate ? { duplicate: true } : {}),
    },
  };
}
