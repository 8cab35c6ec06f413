import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { appendAudit } from "../../audit/index.ts";
import { channelTraitsOf } from "../../channels/index.ts";
import {
  addNote,
  assignConversation,
  type ConversationService,
  changeLabel,
  closeConversation,
  reopenConversation,
} from "../../conversations/index.ts";
import { MainstayError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/parse-input.ts";
import type {
  Conversation,
  ConversationNote,
  Repositories,
  Resolution,
} from "../../store/index.ts";
import { principalOf, SELF_AUDITED } from "../auth/index.ts";
import { conversationView, iso } from "../views.ts";

/** A label: a short lowercase word, so `Billing` and `billing ` are not two labels. */
export const labelSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "1-40 lowercase letters, digits, - and _");

/** Labels one conversation may carry: beyond this they no longer sort anything. */
const MAX_LABELS = 20;
const NOTES_PAGE = 200;

const idParams = z.object({ id: z.string().min(1).max(100) });
const labelParams = idParams.extend({ label: labelSchema });
const operatorName = z.string().trim().min(1).max(100);
const assignBody = z.object({ assignee: operatorName.nullable() }).strict();
const noteBody = z.object({ text: z.string().trim().min(1).max(10_000) }).strict();
const labelBody = z.object({ label: labelSchema }).strict();
const noBody = z.object({}).strict();
const labelsQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

export const noteView = (n: ConversationNote) => ({
  id: n.id,
  conversationId: n.conversationId,
  author: n.author,
  text: n.text,
  createdAt: iso(n.createdAt),
});

/** Whether the customer sees who answers on this conversation's channel (web chat). */
export const showsOperators = (conversation: Conversation) =>
  channelTraitsOf(conversation.channelType)?.showsOperators === true;

/**
 * The inbox around a conversation: who answers it (assignment), the team's notes, labels,
 * and closing it (resolved or not) or opening it again. Each change is one transaction
 * with its conversation event and an audit entry naming the operator.
 */
export async function inboxRoutes(app: FastifyInstance, opts: { service: ConversationService }) {
  const { service } = opts;
  const { store } = service;

  async function find(id: string): Promise<Conversation> {
    const conversation = await store.conversations.get(id);
    if (!conversation) throw new MainstayError("MS_NOT_FOUND", `conversation ${id} not found`, 404);
    return conversation;
  }

  /** Run `change` and its audit entry in one transaction; answer the conversation as it is now. */
  async function change(
    request: FastifyRequest,
    action: string,
    /** Makes the change and returns what the audit entry records of it. */
    fn: (
      tx: Repositories,
      conversation: Conversation,
      by: string,
    ) => Promise<Record<string, unknown>>,
  ) {
    const { id } = parseInput(idParams, request.params, "params");
    const conversation = await find(id);
    const by = principalOf(request).name;
    await service.transact(async (tx) => {
      const data = await fn(tx, conversation, by);
      await appendAudit(tx, { actor: by, action, target: id, data }, service.now());
    });
    const now = (await store.conversations.get(id))!;
    return { ...conversationView(now), labels: await store.conversationLabels.of(id) };
  }

  app.post("/api/v1/conversations/:id/assign", { config: SELF_AUDITED }, async (request) => {
    const { assignee } = parseInput(assignBody, request.body, "body");
    return change(request, "conversation.assign", async (tx, c, by) => {
      if (c.state === "closed") throw closed(c.id);
      const { previous } = await assignConversation(service, tx, c, {
        assignee,
        by,
        event: "conversation.assigned",
        announce: showsOperators(c),
      });
      return { assignee, previous };
    });
  });

  app.get("/api/v1/conversations/:id/notes", async (request) => {
    const { id } = parseInput(idParams, request.params, "params");
    await find(id);
    return { data: (await store.conversationNotes.list(id, NOTES_PAGE)).map(noteView) };
  });

  app.post("/api/v1/conversations/:id/notes", { config: SELF_AUDITED }, async (request, reply) => {
    const { text } = parseInput(noteBody, request.body, "body");
    let note: ConversationNote | undefined;
    // The audit entry names the note; its text stays out of the permanent log.
    await change(request, "conversation.note", async (tx, c, by) => {
      note = await addNote(service, tx, c.id, by, text);
      return { noteId: note.id };
    });
    reply.status(201);
    return noteView(note!);
  });

  app.post("/api/v1/conversations/:id/labels", { config: SELF_AUDITED }, async (request) => {
    const { label } = parseInput(labelBody, request.body, "body");
    return change(request, "conversation.label", async (tx, c, by) => {
      const labels = await tx.conversationLabels.of(c.id);
      if (!labels.includes(label) && labels.length >= MAX_LABELS) {
        throw new MainstayError(
          "MS_TOO_MANY_LABELS",
          `conversation ${c.id} has ${MAX_LABELS} labels already; remove one first`,
          409,
        );
      }
      return { label, changed: await changeLabel(service, tx, c.id, { label, add: true, by }) };
    });
  });

  app.delete(
    "/api/v1/conversations/:id/labels/:label",
    { config: SELF_AUDITED },
    async (request) => {
      const { label } = parseInput(labelParams, request.params, "params");
      return change(request, "conversation.unlabel", async (tx, c, by) => ({
        label,
        changed: await changeLabel(service, tx, c.id, { label, add: false, by }),
      }));
    },
  );

  app.get("/api/v1/labels", async (request) => {
    const { limit } = parseInput(labelsQuery, request.query, "query");
    return { data: await store.conversationLabels.inUse(limit) };
  });

  const closeAs = (resolution: Resolution, action: string) => async (request: FastifyRequest) => {
    parseInput(noBody, request.body ?? {}, "body");
    return change(request, action, async (tx, c, by) => {
      await closeConversation(service, tx, c, resolution, by);
      return { resolution };
    });
  };
  app.post(
    "/api/v1/conversations/:id/resolve",
    { config: SELF_AUDITED },
    closeAs("resolved", "conversation.resolve"),
  );
  app.post(
    "/api/v1/conversations/:id/close",
    { config: SELF_AUDITED },
    closeAs("unresolved", "conversation.close"),
  );

  app.post("/api/v1/conversations/:id/reopen", { config: SELF_AUDITED }, async (request) => {
    parseInput(noBody, request.body ?? {}, "body");
    return change(request, "conversation.reopen", async (tx, c, by) => {
      await reopenConversation(service, tx, c, by);
      return {};
    });
  });
}

const closed = (id: string) =>
  new MainstayError("MS_CONVERSATION_CLOSED", `conversation ${id} is closed`, 409);
