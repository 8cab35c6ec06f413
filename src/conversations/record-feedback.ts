import { MainstayError } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import type { Store } from "../store/index.ts";

export interface Feedback {
  csat?: number;
  thumbs?: "up" | "down";
  comment?: string;
}

/**
 * Store a customer's rating of a conversation (from the API or the web chat page): an
 * outcome event per rating, and the CSAT on the conversation's outcome.
 */
export async function recordFeedback(
  store: Store,
  conversationId: string,
  feedback: Feedback,
  source: string,
  now: number,
) {
  const conversation = await store.conversations.get(conversationId);
  if (!conversation) {
    throw new MainstayError("MS_NOT_FOUND", `conversation ${conversationId} not found`, 404);
  }
  const base = {
    conversationId,
    agentId: conversation.agentId,
    agentVersion: conversation.agentVersion,
    data: feedback.comment ? { comment: feedback.comment } : {},
    source,
    createdAt: now,
  };
  await store.transaction(async (tx) => {
    if (feedback.csat !== undefined) {
      await tx.outcomes.addEvent({
        ...base,
        id: newId("oev", now),
        type: "csat",
        value: feedback.csat,
      });
      await tx.outcomes.setCsat(conversationId, feedback.csat, now);
    }
    if (feedback.thumbs !== undefined) {
      const value = feedback.thumbs === "up" ? 1 : 0;
      await tx.outcomes.addEvent({ ...base, id: newId("oev", now), type: "thumbs", value });
    }
  });
  return conversation;
}
