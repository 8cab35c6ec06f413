import { MainstayError } from "../shared/errors.ts";
import { storableText } from "../shared/storable-text.ts";
import type { Conversation, Repositories, Resolution } from "../store/index.ts";
import type { ConversationService } from "./conversation-service.ts";

/** The `system` line that tells the customer a person joined (`meta.notice`). */
export const OPERATOR_JOINED = "operator_joined";

export interface Assignment {
  /** The operator (a principal name); null leaves it with nobody. */
  assignee: string | null;
  /** Who made the change. */
  by: string;
  /** The event that records it: an explicit assignment, or an operator taking it. */
  event: "conversation.assigned" | "conversation.taken";
  /** Tell the customer "Ana joined" (channels that show operators, web chat). */
  announce: boolean;
}

/**
 * The inbox's changes to a conversation, each in the caller's transaction with its event,
 * so the console's live stream hears every one. An operator is a principal name: an API
 * key's, which a console session carries too.
 */
export async function assignConversation(
  service: ConversationService,
  tx: Repositories,
  conversation: Conversation,
  change: Assignment,
): Promise<{ previous: string | null }> {
  const now = service.now();
  // An operator name can come from a request body (`agentName`): stored like any text.
  const assignee = change.assignee === null ? null : storableText(change.assignee).text;
  const moved = await tx.conversations.assign(conversation.id, assignee, now);
  if (!moved) throw notFound(conversation.id);
  const data =
    change.event === "conversation.taken"
      ? { agentName: assignee, previous: moved.previous }
      : { assignee, previous: moved.previous, by: change.by };
  await tx.events.append(conversation.id, change.event, data, now);
  if (change.announce && assignee !== null && assignee !== moved.previous) {
    await service.queueOutbound(tx, conversation, {
      text: `${assignee} joined the conversation`,
      author: "system",
      meta: { notice: OPERATOR_JOINED, agentName: assignee },
    });
  }
  return moved;
}

/** End it, resolved (the customer's question was settled) or not. */
export async function closeConversation(
  service: ConversationService,
  tx: Repositories,
  conversation: Conversation,
  resolution: Resolution,
  by: string,
): Promise<void> {
  if (conversation.state === "closed") {
    throw new MainstayError(
      "MS_CONVERSATION_CLOSED",
      `conversation ${conversation.id} is closed`,
      409,
    );
  }
  const now = service.now();
  await tx.conversations.close(conversation.id, resolution, now);
  await tx.events.append(
    conversation.id,
    "conversation.closed",
    { resolution, by, previousState: conversation.state },
    now,
  );
}

/**
 * Open a closed conversation again, with a person (whoever reopens it means to answer).
 * Refused when the customer has started a newer one on the channel since: their next
 * message would go there, not here.
 */
export async function reopenConversation(
  service: ConversationService,
  tx: Repositories,
  conversation: Conversation,
  by: string,
): Promise<void> {
  if (conversation.state !== "closed") {
    throw new MainstayError("MS_NOT_CLOSED", `conversation ${conversation.id} is not closed`, 409);
  }
  const open = await tx.conversations.findOpen(conversation.identityId, conversation.channelId);
  if (open) {
    throw new MainstayError(
      "MS_CONVERSATION_SUPERSEDED",
      `the customer has an open conversation ${open.id} on ${conversation.channelId}; answer there`,
      409,
    );
  }
  const now = service.now();
  await tx.conversations.reopen(conversation.id, "human", now);
  await tx.events.append(conversation.id, "conversation.reopened", { by, state: "human" }, now);
}

/** A note for the team, never sent to the customer. */
export async function addNote(
  service: ConversationService,
  tx: Repositories,
  conversationId: string,
  author: string,
  text: string,
) {
  const now = service.now();
  const note = await tx.conversationNotes.add(
    { conversationId, author: storableText(author).text, text: storableText(text).text },
    now,
  );
  await tx.events.append(
    conversationId,
    "note.added",
    { noteId: note.id, author: note.author },
    now,
  );
  return note;
}

/** Add or remove a label; false when nothing changed (no event then). */
export async function changeLabel(
  service: ConversationService,
  tx: Repositories,
  conversationId: string,
  change: { label: string; add: boolean; by: string },
): Promise<boolean> {
  const now = service.now();
  const changed = change.add
    ? await tx.conversationLabels.add(conversationId, change.label, now)
    : await tx.conversationLabels.remove(conversationId, change.label);
  if (changed) {
    await tx.events.append(
      conversationId,
      change.add ? "label.added" : "label.removed",
      { label: change.label, by: change.by },
      now,
    );
  }
  return changed;
}

const notFound = (id: string) =>
  new MainstayError("MS_NOT_FOUND", `conversation ${id} not found`, 404);
