import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { assignConversation, type ConversationService } from "../../conversations/index.ts";
import { MainstayError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/parse-input.ts";
import type { Conversation, ConversationEvent, Store } from "../../store/index.ts";
import { principalOf } from "../auth/index.ts";
import { conversationView, iso } from "../views.ts";
import { namedContact } from "../visitor-name.ts";
import { showsOperators } from "./inbox.ts";

const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(100) });

/** Conversations waiting that the queue looks at: beyond this the team has other problems. */
const MAX_WAITING = 1000;
const idParams = z.object({ id: z.string().min(1).max(100) });
const takeBody = z.object({ agentName: z.string().min(1).max(100).optional() }).strict();

/** The conversation's whole event log (the detail route shows the first 500 only). */
async function allEvents(store: Store, conversationId: string): Promise<ConversationEvent[]> {
  const events: ConversationEvent[] = [];
  for (;;) {
    const page = await store.events.list(conversationId, events.at(-1)?.seq ?? 0, 500);
    events.push(...page);
    if (page.length < 500) return events;
  }
}

/** Every conversation with a person, up to `MAX_WAITING` (the list pages newest first). */
async function waitingConversations(store: Store): Promise<Conversation[]> {
  const all: Conversation[] = [];
  for (;;) {
    const page = await store.conversations.list({
      state: "human",
      before: all.at(-1)?.id,
      limit: 200,
    });
    all.push(...page);
    if (page.length < 200 || all.length >= MAX_WAITING) return all;
  }
}

/** When and why a conversation last went to a person, and who has taken it since. */
function handoffOf(events: ConversationEvent[]) {
  const i = events.findLastIndex((e) => e.type === "conversation.handoff");
  const handoff = events[i];
  if (!handoff) return undefined;
  const taken = events.slice(i).findLast((e) => e.type === "conversation.taken");
  const takenBy = taken?.data["agentName"] ?? handoff.data["agentName"];
  return {
    handedOffAt: iso(handoff.createdAt),
    reason: String(handoff.data["reason"]),
    takenBy: typeof takenBy === "string" ? takenBy : null,
  };
}

/**
 * The handoff queue (conversations waiting for a person, oldest handoff first) and taking
 * one: what the console's queue page shows, in one request instead of one per row.
 */
export async function handoffRoutes(app: FastifyInstance, opts: { service: ConversationService }) {
  const { service } = opts;
  const { store } = service;

  async function queueEntry(conversation: Conversation) {
    const [events, lastInbound, contact, identity] = await Promise.all([
      allEvents(store, conversation.id),
      store.messages.latestInbound(conversation.id),
      store.contacts.getContact(conversation.contactId),
      store.contacts.getIdentity(conversation.identityId),
    ]);
    const handoff = handoffOf(events);
    if (!handoff) return undefined; // a conversation made `human` without an event: none yet
    return {
      ...conversationView(conversation),
      ...handoff,
      summary: lastInbound ? lastInbound.text.slice(0, 200) : "",
      contact: namedContact(conversation, contact?.displayName ?? null, identity ?? null),
    };
  }

  app.get("/api/v1/handoffs", async (request) => {
    const { limit } = parseInput(listQuery, request.query, "query");
    const entries = await Promise.all((await waitingConversations(store)).map(queueEntry));
    const data = entries.filter((e) => e !== undefined);
    // ISO timestamps of one format sort as strings.
    data.sort((a, b) => a.handedOffAt.localeCompare(b.handedOffAt));
    return { data: data.slice(0, limit) };
  });

  app.post("/api/v1/conversations/:id/take", async (request) => {
    const { id } = parseInput(idParams, request.params, "params");
    const body = parseInput(takeBody, request.body ?? {}, "body");
    const agentName = body.agentName ?? principalOf(request).name;
    const conversation = await store.conversations.get(id);
    if (!conversation) throw new MainstayError("MS_NOT_FOUND", `conversation ${id} not found`, 404);
    if (conversation.state === "closed") {
      throw new MainstayError("MS_CONVERSATION_CLOSED", `conversation ${id} is closed`, 409);
    }
    await service.transact(async (tx) => {
      // Taking a conversation from the bot stops the bot, as a reply by a person does.
      if (conversation.state === "bot") {
        await service.handOff(tx, id, "human_took_over", { agentName });
      }
      // Taking it assigns it to the taker; the customer sees them join where the channel shows it.
      await assignConversation(service, tx, conversation, {
        assignee: agentName,
        by: principalOf(request).name,
        event: "conversation.taken",
        announce: showsOperators(conversation),
      });
    });
    return { id, state: "human", takenBy: agentName };
  });
}
