import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Clock } from "../../shared/clock.ts";
import { MainstayError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/parse-input.ts";
import type { ConsentEntry, Repositories, Store } from "../../store/index.ts";
import { cursorPage, decodeCursor } from "../cursor-page.ts";
import { consentEntryView, contactMergeView, contactView, identityView, iso } from "../views.ts";

const listQuery = z.object({
  address: z.string().min(1).max(320).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
});
const idParams = z.object({ id: z.string().min(1).max(100) });
const mergeBody = z.object({
  contactId: z.string().min(1).max(100),
  reason: z.string().max(500).optional(),
});
const unmergeBody = z.object({ mergeId: z.string().min(1).max(100) });

async function contactOr404(tx: Repositories, id: string) {
  const contact = await tx.contacts.getContact(id);
  if (!contact) throw new MainstayError("MS_NOT_FOUND", `contact ${id} not found`, 404);
  return contact;
}

/**
 * The latest entry of each series in force: per (channel, address, purpose), or per purpose
 * contact-wide (the contact's own entries only: what its identities did before a merge was
 * carried over by it, stricter state first).
 */
function currentConsent(contactId: string, history: ConsentEntry[]) {
  const latest = new Map<string, ConsentEntry>();
  for (const e of history) {
    if (e.scope === "all" && e.contactId !== contactId) continue;
    const where = e.scope === "all" ? "" : `${e.channelId}\n${e.address}`;
    latest.set(`${e.purpose}\n${e.scope}\n${where}`, e);
  }
  return [...latest.values()].map((e) => ({
    purpose: e.purpose,
    scope: e.scope,
    channelId: e.scope === "all" ? null : e.channelId,
    address: e.scope === "all" ? null : e.address,
    state: e.state,
    since: iso(e.createdAt),
  }));
}

/** Log the move on each moved conversation, in the caller's transaction. */
async function logMoves(
  tx: Repositories,
  conversationIds: string[],
  type: "contact.merged" | "contact.unmerged",
  data: { mergeId: string; fromContactId: string; toContactId: string },
  now: number,
) {
  for (const id of conversationIds) await tx.events.append(id, type, data, now);
}

/** One customer across channels: find contacts, see their identities and consent, merge them. */
export async function contactRoutes(app: FastifyInstance, opts: { store: Store; clock: Clock }) {
  const { store, clock } = opts;

  app.get("/api/v1/contacts", async (request) => {
    const q = parseInput(listQuery, request.query, "query");
    const rows = await store.contacts.list({
      address: q.address,
      before: decodeCursor(q.cursor),
      limit: q.limit + 1,
    });
    return cursorPage(rows, q.limit, contactView, (row) => row.id);
  });

  app.get("/api/v1/contacts/:id", async (request) => {
    const { id } = parseInput(idParams, request.params, "params");
    const contact = await contactOr404(store, id);
    const [identities, consent, merges] = await Promise.all([
      store.contacts.identitiesOf(id),
      store.consent.history(id),
      store.contactMerges.listFor(id),
    ]);
    return {
      ...contactView(contact),
      identities: identities.map(identityView),
      consent: { current: currentConsent(id, consent), history: consent.map(consentEntryView) },
      merges: merges.map(contactMergeView),
    };
  });

  /** Move the other contact's identities and conversations here, recorded so it can be undone. */
  app.post("/api/v1/contacts/:id/merge", async (request) => {
    const { id } = parseInput(idParams, request.params, "params");
    const body = parseInput(mergeBody, request.body, "body");
    if (body.contactId === id) {
      throw new MainstayError(
        "MS_MERGE_SELF",
        "body.contactId: a contact cannot merge itself",
        400,
      );
    }
    const now = clock.now();
    const merge = await store.transaction(async (tx) => {
      await contactOr404(tx, id);
      await contactOr404(tx, body.contactId);
      const identityIds = (await tx.contacts.identitiesOf(body.contactId)).map((i) => i.id);
      const { conversationIds } = await tx.contacts.moveIdentities(identityIds, id, now);
      const created = await tx.contactMerges.create(
        {
          targetContactId: id,
          sourceContactId: body.contactId,
          identityIds,
          conversationIds,
          reason: body.reason ?? "",
        },
        now,
      );
      await tx.consent.carryOnMerge(created, now);
      await logMoves(
        tx,
        conversationIds,
        "contact.merged",
        { mergeId: created.id, fromContactId: body.contactId, toContactId: id },
        now,
      );
      return created;
    });
    return contactMergeView(merge);
  });

  /** Move exactly what a merge moved back to where it came from. */
  app.post("/api/v1/contacts/:id/unmerge", async (request) => {
    const { id } = parseInput(idParams, request.params, "params");
    const { mergeId } = parseInput(unmergeBody, request.body, "body");
    const now = clock.now();
    const merge = await store.transaction(async (tx) => {
      const found = await tx.contactMerges.get(mergeId);
      if (found?.targetContactId !== id) {
        throw new MainstayError(
          "MS_NOT_FOUND",
          `merge ${mergeId} into contact ${id} not found`,
          404,
        );
      }
      if (!(await tx.contactMerges.markUndone(mergeId, now))) {
        throw new MainstayError("MS_MERGE_UNDONE", `merge ${mergeId} was already undone`, 409);
      }
      const moved = await tx.contacts.identitiesOf(id);
      if (!found.identityIds.every((i) => moved.some((m) => m.id === i))) {
        throw new MainstayError(
          "MS_MERGE_STALE",
          `identities of merge ${mergeId} have moved on since; undo the later merge first`,
          409,
        );
      }
      const { conversationIds } = await tx.contacts.moveIdentities(
        found.identityIds,
        found.sourceContactId,
        now,
      );
      await tx.consent.splitOnUnmerge(found, now);
      await logMoves(
        tx,
        conversationIds,
        "contact.unmerged",
        { mergeId, fromContactId: id, toContactId: found.sourceContactId },
        now,
      );
      return { ...found, undoneAt: now };
    });
    return contactMergeView(merge);
  });
}
