import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { appendAudit } from "../../audit/index.ts";
import {
  acknowledgeIncident,
  addIncidentNote,
  openIncident,
  resolveIncident,
} from "../../monitoring/incidents/index.ts";
import type { Clock } from "../../shared/clock.ts";
import { MainstayError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/parse-input.ts";
import type { Incident, IncidentEvent, Store } from "../../store/index.ts";
import { principalOf, SELF_AUDITED } from "../auth/index.ts";
import { cursorPage, decodeCursor } from "../cursor-page.ts";
import { iso } from "../views.ts";

const severity = z.enum(["critical", "warning", "info"]);
const listQuery = z.object({
  status: z.enum(["open", "acknowledged", "resolved"]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
});
const idParams = z.object({ id: z.string().min(1).max(100) });
const openBody = z
  .object({
    title: z.string().trim().min(1).max(300),
    severity: severity.default("warning"),
    /** Free text: what is known so far. */
    description: z.string().max(10_000).optional(),
  })
  .strict();
const noteBody = z.object({ text: z.string().trim().min(1).max(10_000) }).strict();
const resolveBody = z
  .object({ note: z.string().trim().min(1).max(10_000).optional() })
  .strict()
  .default({});

export const incidentView = (i: Incident) => ({
  id: i.id,
  title: i.title,
  severity: i.severity,
  status: i.status,
  source: i.source,
  key: i.key,
  data: i.data,
  openedAt: iso(i.openedAt),
  acknowledgedAt: iso(i.acknowledgedAt),
  acknowledgedBy: i.acknowledgedBy,
  resolvedAt: iso(i.resolvedAt),
  resolvedBy: i.resolvedBy,
  updatedAt: iso(i.updatedAt),
});

const timelineView = (e: IncidentEvent) => ({
  seq: e.seq,
  type: e.type,
  actor: e.actor,
  data: e.data,
  at: iso(e.createdAt),
});

/** Incidents: list, read with the timeline, open by hand, note, acknowledge, resolve. */
export async function incidentRoutes(app: FastifyInstance, opts: { store: Store; clock: Clock }) {
  const { store, clock } = opts;

  const withTimeline = async (incident: Incident) => ({
    ...incidentView(incident),
    timeline: (await store.incidents.events(incident.id)).map(timelineView),
  });

  app.get("/api/v1/incidents", async (request) => {
    const q = parseInput(listQuery, request.query, "query");
    const rows = await store.incidents.list(
      { status: q.status },
      q.limit + 1,
      decodeCursor(q.cursor),
    );
    return cursorPage(rows, q.limit, incidentView, (row) => row.id);
  });

  app.get("/api/v1/incidents/:id", async (request) => {
    const { id } = parseInput(idParams, request.params, "params");
    const incident = await store.incidents.get(id);
    if (!incident) throw new MainstayError("MS_NOT_FOUND", `no incident ${id}`, 404);
    return withTimeline(incident);
  });

  app.post("/api/v1/incidents", { config: SELF_AUDITED }, async (request, reply) => {
    const body = parseInput(openBody, request.body, "body");
    const actor = principalOf(request).name;
    const now = clock.now();
    const { incident } = await store.transaction(async (tx) => {
      const opened = await openIncident(
        tx,
        {
          title: body.title,
          severity: body.severity,
          source: "manual",
          data: body.description ? { description: body.description } : {},
          actor,
        },
        now,
      );
      await appendAudit(
        tx,
        { actor, action: "incident.open", target: opened.incident.id, data: { title: body.title } },
        now,
      );
      return opened;
    });
    reply.status(201);
    return withTimeline(incident);
  });

  app.post("/api/v1/incidents/:id/notes", { config: SELF_AUDITED }, async (request, reply) => {
    const { id } = parseInput(idParams, request.params, "params");
    const { text } = parseInput(noteBody, request.body, "body");
    const actor = principalOf(request).name;
    const now = clock.now();
    await store.transaction(async (tx) => {
      await addIncidentNote(tx, id, text, actor, now);
      await appendAudit(tx, { actor, action: "incident.note", target: id }, now);
    });
    reply.status(201);
    return withTimeline((await store.incidents.get(id))!);
  });

  app.post("/api/v1/incidents/:id/acknowledge", { config: SELF_AUDITED }, async (request) => {
    const { id } = parseInput(idParams, request.params, "params");
    const actor = principalOf(request).name;
    const now = clock.now();
    const incident = await store.transaction(async (tx) => {
      const acknowledged = await acknowledgeIncident(tx, id, actor, now);
      await appendAudit(tx, { actor, action: "incident.acknowledge", target: id }, now);
      return acknowledged;
    });
    return withTimeline(incident);
  });

  app.post("/api/v1/incidents/:id/resolve", { config: SELF_AUDITED }, async (request) => {
    const { id } = parseInput(idParams, request.params, "params");
    const { note } = parseInput(resolveBody, request.body ?? {}, "body");
    const actor = principalOf(request).name;
    const now = clock.now();
    const incident = await store.transaction(async (tx) => {
      const resolved = await resolveIncident(tx, id, actor, note, now);
      await appendAudit(tx, { actor, action: "incident.resolve", target: id }, now);
      return resolved;
    });
    return withTimeline(incident);
  });
}
