import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { appendAudit } from "../../audit/index.ts";
import type { Clock } from "../../shared/clock.ts";
import { MainstayError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/parse-input.ts";
import { storableText } from "../../shared/storable-text.ts";
import type { CannedResponse, Store } from "../../store/index.ts";
import { principalOf, SELF_AUDITED } from "../auth/index.ts";
import { iso } from "../views.ts";

/** A team keeps tens of saved replies; the list answers them all at once. */
const MAX_CANNED = 500;

const idParams = z.object({ id: z.string().min(1).max(100) });
const cannedBody = z
  .object({
    /** What an operator types after `/` in the reply box. */
    shortcut: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "1-40 lowercase letters, digits, - and _"),
    text: z.string().trim().min(1).max(4000),
  })
  .strict();

const cannedView = (c: CannedResponse) => ({
  id: c.id,
  shortcut: c.shortcut,
  text: c.text,
  createdBy: c.createdBy,
  createdAt: iso(c.createdAt),
  updatedAt: iso(c.updatedAt),
});

const taken = (shortcut: string) =>
  new MainstayError(
    "MS_SHORTCUT_TAKEN",
    `another canned response has the shortcut "${shortcut}"`,
    409,
  );

/**
 * Canned responses: saved replies stored here, so every operator's console offers the same
 * ones. Operators list them (GET needs `viewer`); admins create, change and delete them,
 * each change in the audit log.
 */
export async function cannedResponseRoutes(
  app: FastifyInstance,
  opts: { store: Store; clock: Clock },
) {
  const { store, clock } = opts;

  app.get("/api/v1/canned-responses", async () => ({
    data: (await store.cannedResponses.list(MAX_CANNED)).map(cannedView),
  }));

  app.post("/api/v1/canned-responses", { config: SELF_AUDITED }, async (request, reply) => {
    const body = parseInput(cannedBody, request.body, "body");
    const actor = principalOf(request).name;
    const now = clock.now();
    const created = await store.transaction(async (tx) => {
      const canned = await tx.cannedResponses.create(
        { shortcut: body.shortcut, text: storableText(body.text).text, createdBy: actor },
        now,
      );
      if (!canned) throw taken(body.shortcut);
      await appendAudit(
        tx,
        {
          actor,
          action: "canned_response.create",
          target: canned.id,
          data: { shortcut: canned.shortcut },
        },
        now,
      );
      return canned;
    });
    reply.status(201);
    return cannedView(created);
  });

  app.put("/api/v1/canned-responses/:id", { config: SELF_AUDITED }, async (request) => {
    const { id } = parseInput(idParams, request.params, "params");
    const body = parseInput(cannedBody, request.body, "body");
    const actor = principalOf(request).name;
    const now = clock.now();
    const [existing, other] = await Promise.all([
      store.cannedResponses.get(id),
      store.cannedResponses.findByShortcut(body.shortcut),
    ]);
    if (!existing) throw new MainstayError("MS_NOT_FOUND", `no canned response ${id}`, 404);
    if (other && other.id !== id) throw taken(body.shortcut);
    await store.transaction(async (tx) => {
      await tx.cannedResponses.update(
        id,
        { shortcut: body.shortcut, text: storableText(body.text).text },
        now,
      );
      await appendAudit(
        tx,
        { actor, action: "canned_response.update", target: id, data: { shortcut: body.shortcut } },
        now,
      );
    });
    return cannedView((await store.cannedResponses.get(id))!);
  });

  app.delete("/api/v1/canned-responses/:id", { config: SELF_AUDITED }, async (request, reply) => {
    const { id } = parseInput(idParams, request.params, "params");
    const actor = principalOf(request).name;
    const now = clock.now();
    await store.transaction(async (tx) => {
      if (!(await tx.cannedResponses.remove(id))) {
        throw new MainstayError("MS_NOT_FOUND", `no canned response ${id}`, 404);
      }
      await appendAudit(tx, { actor, action: "canned_response.delete", target: id }, now);
    });
    return reply.status(204).send();
  });
}
