import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Channel, WebhookResponse } from "../../channels/index.ts";
import type { ConversationService, QueuedIntake } from "../../conversations/index.ts";
import type { Intake } from "../../monitoring/index.ts";
import { MainstayError } from "../../shared/errors.ts";
import { type MessageTaker, storeWebhookCall } from "./store-webhook-call.ts";

export interface WebhookRouteOptions {
  channels: ReadonlyMap<string, Channel>;
  service: ConversationService;
  /** Public base URL (for signatures that cover the URL); else taken from the request. */
  publicUrl?: string;
  bodyLimit: number;
  /** Wraps each call's verify-parse-store (metrics, traces). */
  intake: Intake;
  /** Present: messages are answered once queued, and a job stores them. */
  queuedIntake?: QueuedIntake;
}

/**
 * `POST /webhooks/:channelId`: the vendor's raw bytes go to the channel, which verifies
 * the signature and parses them; messages are stored (deduplicated) before answering, so
 * a 2xx means nothing can be lost, and anything else asks the vendor to send the call again.
 */
export async function webhookRoutes(app: FastifyInstance, opts: WebhookRouteOptions) {
  const { channels, service, queuedIntake } = opts;
  const take: MessageTaker = queuedIntake
    ? (channel, message) => queuedIntake.take(channel, message)
    : (channel, message) => service.receive(channel, message);
  // Signatures are computed over the exact bytes: keep the body raw for every content type.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    "*",
    { parseAs: "buffer", bodyLimit: opts.bodyLimit },
    (_r, body, done) => done(null, body),
  );

  app.post("/webhooks/:channelId", async (request, reply) => {
    const { channelId } = request.params as { channelId: string };
    const channel = channels.get(channelId);
    if (!channel?.handleWebhook) {
      throw new MainstayError(
        "MS_CHANNEL_NOT_FOUND",
        `no webhook channel "${channelId}" is configured`,
        404,
      );
    }
    const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const { accepted } = await opts.intake(channel, async () => {
      const parsed = await channel.handleWebhook!({
        method: request.method,
        url: publicUrlOf(request, opts.publicUrl),
        headers: request.headers,
        rawBody,
      });
      return storeWebhookCall(service, take, channel, parsed, request.log);
    });
    return send(reply, channel.webhookResponse?.(accepted) ?? { status: 204, body: undefined });
  });

  /** The vendor's subscription handshake (WhatsApp's `hub.challenge`). */
  app.get("/webhooks/:channelId", async (request, reply) => {
    const { channelId } = request.params as { channelId: string };
    const channel = channels.get(channelId);
    if (!channel?.handleVerification) {
      throw new MainstayError(
        "MS_CHANNEL_NOT_FOUND",
        `no channel "${channelId}" with a webhook handshake is configured`,
        404,
      );
    }
    const query = request.query as Record<string, string | undefined>;
    return send(reply, channel.handleVerification({ query }));
  });
}

function send(reply: FastifyReply, response: WebhookResponse) {
  if (response.contentType) reply.type(response.contentType);
  return reply.status(response.status).send(response.body);
}

function publicUrlOf(request: FastifyRequest, publicUrl: string | undefined): string {
  if (publicUrl) return new URL(request.url, publicUrl).toString();
  return `${request.protocol}://${request.host}${request.url}`;
}
