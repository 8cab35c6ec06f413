import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { labelOutcome, type OutcomeLabelSettings } from "../../conversations/index.ts";
import type { Clock } from "../../shared/clock.ts";
import { MainstayError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/parse-input.ts";
import type { Store } from "../../store/index.ts";
import { principalOf } from "../auth/index.ts";
import { cursorPage, decodeCursor } from "../cursor-page.ts";
import { conversationView, eventView, messageView } from "../views.ts";
import { namedContact } from "../visitor-name.ts";
import { labelSchema } from "./inbox.ts";

const limit = z.coerce.number().int().min(1).max(200).default(50);

const listQuery = z.object({
  state: z.enum(["bot", "human", "closed"]).optional(),
  channel: z.string().optional(),
  contact: z.string().optional(),
  /** An operator's name; `me` is the caller, `none` nobody. */
  assignee: z.string().trim().min(1).max(100).optional(),
  label: labelSchema.optional(),
  /** Text in a message, the contact's name or address. */
  q: z.string().trim().min(1).max(200).optional(),
  limit,
  cursor: z.string().optional(),
});

const messagesQuery = z.object({ limit, cursor: z.string().optional() });
const idParams = z.object({ id: z.string().min(1).max(100) });

export async function conversationRoutes(
  app: FastifyInstance,
  opts: { store: Store; clock: Clock; outcomes: OutcomeLabelSettings },
) {
  const { store } = opts;

  app.get("/api/v1/conversations", async (request) => {
    const q = parseInput(listQuery, request.query, "query");
    const assignee =
      q.assignee === "me" ? principalOf(request).name : q.assignee === "none" ? null : q.assignee;
    const rows = await store.conversations.list({
      state: q.state,
      channelId: q.channel,
      contactId: q.contact,
      assignee,
      label: q.label,
      before: decodeCursor(q.cursor),
      search: q.q,
      limit: q.limit + 1,
    });
    const summaries = await store.conversations.summaries(rows.slice(0, q.limit));
    return cursorPage(
      rows,
      q.limit,
      (row) => {
        const { identity, contact, ...summary } = summaries.get(row.id)!;
        return {
          ...conversationView(row),
          ...summary,
          contact: namedContact(row, contact?.displayName ?? null, identity),
        };
      },
      (row) => row.id,
    );
  });

  app.get("/api/v1/conversations/:id", async (request) => {
    const { id } = parseInput(idParams, request.params, "params");
    const conversation = await store.conversations.get(id);
    if (!conversation) throw new MainstayError("MS_NOT_FOUND", `conversation ${id} not found`, 404);
    const [contact, identity, events, labels, facts] = await Promise.all([
      store.contacts.getContact(conversation.contactId),
      store.contacts.getIdentity(conversation.identityId),
      store.events.list(id),
      store.conversationLabels.of(id),
      store.outcomes.factsOf(id),
    ]);
    return {
      ...conversationView(conversation),
      contact: contact && namedContact(conversation, contact.displayName, identity ?? null),
      identity: identity && { channelType: identity.channelType, address: identity.address },
      labels,
      outcome: facts ? labelOutcome(facts, opts.outcomes, opts.clock.now()) : null,
      events: events.map(eventView),
    };
  });

  app.get("/api/v1/conversations/:id/messages", async (request) => {
    const { id } = parseInput(idParams, request.params, "params");
    const q = parseInput(messagesQuery, request.query, "query");
    if (!(await store.conversations.get(id))) {
      throw new MainstayError("MS_NOT_FOUND", `conversation ${id} not found`, 404);
    }
    const rows = await store.messages.list(id, decodeCursor(q.cursor), q.limit + 1);
    return cursorPage(rows, q.limit, messageView, (row) => row.id);
  });
}
