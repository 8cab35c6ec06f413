import type { ServerResponse } from "node:http";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { ConversationChange, ConversationEvents } from "../../conversations/index.ts";
import { parseInput } from "../../shared/parse-input.ts";
import type { ControlChanges } from "../control-changes.ts";

const streamQuery = z.object({ conversationId: z.string().min(1).max(100).optional() });

/** A client this far behind is not reading: dropped rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** Often enough that proxies with a 30-60 s idle timeout keep the connection open. */
const PING_MS = 15_000;

const frame = (event: string, data: unknown) =>
  `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * `GET /api/v1/stream`: Server-Sent Events (WHATWG HTML, section 9.2) telling the console
 * which conversations changed on any instance, which rollouts, agents, alerts and
 * incidents changed (`changes`, unless the stream is filtered to one conversation), and a
 * ping so proxies keep the connection.
 */
export async function streamRoutes(
  app: FastifyInstance,
  opts: { events: ConversationEvents; changes?: ControlChanges; pingMs?: number },
) {
  const pingMs = opts.pingMs ?? PING_MS;
  const open = new Set<ServerResponse>();
  // Streams never end on their own: closing the server ends them.
  app.addHook("preClose", async () => {
    for (const res of open) res.end();
  });

  app.get("/api/v1/stream", async (request, reply) => {
    const { conversationId } = parseInput(streamQuery, request.query, "query");
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      // nginx buffers responses unless told not to; events would arrive in bursts.
      "x-accel-buffering": "no",
    });
    const write = (text: string) => {
      // Closed while the first reading was under way (a shutdown, a client gone).
      if (res.writableEnded || res.destroyed) return;
      if (res.writableLength > MAX_BUFFERED_BYTES) res.destroy();
      else res.write(text);
    };
    const unsubscribe = opts.events.subscribe((change: ConversationChange) => {
      if (!conversationId || change.conversationId === conversationId) {
        write(frame("conversation", change));
      }
    });
    const changes = conversationId ? undefined : opts.changes;
    const unwatch = changes?.subscribe((change) => write(frame("change", change)));
    const ping = setInterval(() => write(frame("ping", {})), pingMs);
    open.add(res);
    res.on("close", () => {
      clearInterval(ping);
      unsubscribe();
      unwatch?.();
      open.delete(res);
    });
    // The headers leave with the first line, once the changes' mark is read: every change
    // committed after a client sees the stream open reaches it.
    await changes?.check();
    write("retry: 3000\n\n");
  });
}
