import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { JobQueue } from "../../jobs/index.ts";
import { parseInput } from "../../shared/parse-input.ts";
import { cursorPage, decodeCursor } from "../cursor-page.ts";
import { deadJobView } from "../views.ts";

const deadQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional(),
});

export async function outboxRoutes(app: FastifyInstance, opts: { queue: JobQueue }) {
  const { queue } = opts;

  /** Jobs that used up their attempts (newest first), with the last error. */
  app.get("/api/v1/outbox/dead", async (request) => {
    const q = parseInput(deadQuery, request.query, "query");
    const before = decodeCursor(q.cursor, /^\d+$/);
    const rows = await queue.listDead(
      q.limit + 1,
      before === undefined ? undefined : Number(before),
    );
    return cursorPage(rows, q.limit, deadJobView, (row) => row.id);
  });
}
