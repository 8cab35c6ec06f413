import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { auditHeadSchema, verifyAudit } from "../../audit/index.ts";
import { parseInput } from "../../shared/parse-input.ts";
import type { AuditRecord, Store } from "../../store/index.ts";
import { cursorPage, decodeCursor } from "../cursor-page.ts";
import { iso } from "../views.ts";

const name = z.string().min(1).max(200).optional();
const instant = z.iso
  .datetime({ offset: true })
  .transform((s) => Date.parse(s))
  .optional();

const listQuery = z.object({
  action: name,
  actor: name,
  target: name,
  from: instant,
  to: instant,
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
});

const verifyQuery = z.object({ head: auditHeadSchema.optional() });

/** Stored data is JSON; a row edited into something else is still shown, as text. */
function parsedData(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function auditView(r: AuditRecord) {
  return {
    seq: r.seq,
    actor: r.actor,
    action: r.action,
    target: r.target,
    data: parsedData(r.data),
    createdAt: iso(r.createdAt),
    prevHash: r.prevHash,
    hash: r.hash,
  };
}

/** The audit log: read it newest first, and check its hash chain. */
export async function auditRoutes(app: FastifyInstance, opts: { store: Store }) {
  const { store } = opts;

  app.get("/api/v1/audit", async (request) => {
    const q = parseInput(listQuery, request.query, "query");
    const cursor = decodeCursor(q.cursor, /^-?[0-9]+$/);
    const rows = await store.auditLog.list({
      action: q.action,
      actor: q.actor,
      target: q.target,
      from: q.from,
      to: q.to,
      beforeSeq: cursor === undefined ? undefined : Number(cursor),
      limit: q.limit + 1,
    });
    return cursorPage(rows, q.limit, auditView, (r) => r.seq);
  });

  app.get("/api/v1/audit/verify", async (request) => {
    const q = parseInput(verifyQuery, request.query, "query");
    return verifyAudit(store, q.head);
  });
}
