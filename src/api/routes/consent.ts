import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Clock } from "../../shared/clock.ts";
import { parseInput } from "../../shared/parse-input.ts";
import { type RevocationStatus, revocationReport, type Store } from "../../store/index.ts";
import { decodeCursor } from "../cursor-page.ts";
import { consentEntryView, iso } from "../views.ts";

const reportQuery = z.object({
  pending: z.enum(["true", "false"]).default("false"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
});

function revocationView(r: RevocationStatus) {
  return {
    ...consentEntryView(r.entry),
    deadline: iso(r.deadline),
    endedAt: iso(r.endedAt),
    honoured: r.honoured,
    overdue: r.overdue,
    queued: r.queued,
    sentAfter: r.sentAfter,
  };
}

/** The consent ledger's revocations and whether each was honoured in time. */
export async function consentRoutes(app: FastifyInstance, opts: { store: Store; clock: Clock }) {
  const { store, clock } = opts;

  app.get("/api/v1/consent/revocations", async (request) => {
    const q = parseInput(reportQuery, request.query, "query");
    const after = Number(decodeCursor(q.cursor, /^[0-9]+$/) ?? 0);
    const report = await revocationReport(
      store,
      { afterSeq: after, limit: q.limit, pending: q.pending === "true" },
      clock.now(),
    );
    return {
      data: report.revocations.map(revocationView),
      nextCursor:
        report.next === null ? null : Buffer.from(String(report.next)).toString("base64url"),
    };
  });
}
