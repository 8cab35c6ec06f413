import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { MainstayError } from "../../shared/errors.ts";
import { parseInput } from "../../shared/parse-input.ts";
import type { Store, TurnTraceRecord } from "../../store/index.ts";
import { iso } from "../views.ts";

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

function traceView(t: TurnTraceRecord) {
  return {
    turnId: t.turnId,
    messageId: t.messageId,
    replyId: t.replyId,
    steps: t.steps,
    createdAt: iso(t.createdAt),
  };
}

/** What each agent turn of a conversation did, step by step, newest first. */
export async function turnTraceRoutes(app: FastifyInstance, opts: { store: Store }) {
  const { store } = opts;
  app.get("/api/v1/conversations/:id/traces", async (request) => {
    const { id } = request.params as { id: string };
    const q = parseInput(listQuery, request.query, "query");
    if (!(await store.conversations.get(id))) {
      throw new MainstayError("MS_NOT_FOUND", `conversation ${id} not found`, 404);
    }
    const traces = await store.turnTraces.forConversation(id, q.limit);
    return { data: traces.map(traceView) };
  });
}
