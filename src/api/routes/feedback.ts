import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { recordFeedback } from "../../conversations/index.ts";
import type { Clock } from "../../shared/clock.ts";
import { MainstayError } from "../../shared/errors.ts";
import { newId } from "../../shared/ids.ts";
import { parseInput } from "../../shared/parse-input.ts";
import type { Store } from "../../store/index.ts";
import { principalOf } from "../auth/index.ts";

const conversationParams = z.object({ id: z.string().min(1).max(64) });
const feedbackBody = z
  .object({
    csat: z.number().int().min(1).max(5).optional(),
    thumbs: z.enum(["up", "down"]).optional(),
    comment: z.string().max(2000).optional(),
  })
  .strict()
  .refine((b) => b.csat !== undefined || b.thumbs !== undefined, "give csat (1-5) or thumbs");

const eventBody = z
  .object({
    /** An outcome of the operator's own (e.g. `refund_requested`, `order_completed`). */
    type: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, "1-64 letters, digits, _ . and -")
      .refine((t) => t !== "csat" && t !== "thumbs", "csat and thumbs go to /feedback"),
    conversationId: z.string().min(1).max(64).optional(),
    value: z.number().finite().optional(),
    data: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

/**
 * Customer feedback on a conversation, and outcome events from the operator's systems:
 * both are signals rollouts compare versions on and monitoring charts.
 */
export async function feedbackRoutes(
  app: FastifyInstance,
  opts: {
    store: Store;
    clock: Clock;
    /** Told every CSAT score (the Prometheus histogram). */
    observeCsat?: (
      labels: { agent: string; version: string; channel: string },
      score: number,
    ) => void;
  },
) {
  const { store, clock } = opts;

  app.post("/api/v1/conversations/:id/feedback", async (request, reply) => {
    const { id } = parseInput(conversationParams, request.params, "params");
    const body = parseInput(feedbackBody, request.body, "body");
    const source = `api:${principalOf(request).name}`;
    const conversation = await recordFeedback(store, id, body, source, clock.now());
    if (body.csat !== undefined) {
      opts.observeCsat?.(
        {
          agent: conversation.agentId ?? "",
          version: conversation.agentVersion ?? "",
          channel: conversation.channelId,
        },
        body.csat,
      );
    }
    reply.status(201);
    return { conversationId: id, recorded: true };
  });

  app.post("/api/v1/events", async (request, reply) => {
    const body = parseInput(eventBody, request.body, "body");
    const now = clock.now();
    const conversation = body.conversationId
      ? await store.conversations.get(body.conversationId)
      : undefined;
    if (body.conversationId && !conversation) {
      throw new MainstayError("MS_NOT_FOUND", `conversation ${body.conversationId} not found`, 404);
    }
    const id = newId("oev", now);
    await store.outcomes.addEvent({
      id,
      conversationId: conversation?.id ?? null,
      agentId: conversation?.agentId ?? null,
      agentVersion: conversation?.agentVersion ?? null,
      type: body.type,
      value: body.value ?? null,
      data: body.data,
      source: `api:${principalOf(request).name}`,
      createdAt: now,
    });
    reply.status(201);
    return { id, type: body.type, conversationId: conversation?.id ?? null };
  });
}
