import websocket from "@fastify/websocket";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import type { Logger } from "pino";
import type { Channel } from "../channels/index.ts";
import type { ConversationService } from "../conversations/index.ts";
import type { Guard } from "../guardrails/index.ts";
import type { JobQueue } from "../jobs/index.ts";
import type { ProxyConfig } from "../proxy/index.ts";
import type { Clock } from "../shared/clock.ts";
import type { Store } from "../store/index.ts";
import { requireAdminKey } from "./admin-auth.ts";
import { registerErrorHandling } from "./error-handler.ts";
import { guardRoutes } from "./guard-route.ts";
import { agentRoutes } from "./routes/agents.ts";
import { contactRoutes } from "./routes/contacts.ts";
import { conversationRoutes } from "./routes/conversations.ts";
import { healthRoutes } from "./routes/health.ts";
import { humanReplyRoutes } from "./routes/human-replies.ts";
import { openaiProxyRoutes } from "./routes/openai-proxy.ts";
import { outboxRoutes } from "./routes/outbox.ts";
import { webchatRoutes } from "./routes/webchat.ts";
import { webhookRoutes } from "./routes/webhooks.ts";

export interface AppOptions {
  store: Store;
  queue: JobQueue;
  service: ConversationService;
  channels: ReadonlyMap<string, Channel>;
  adminKey: string;
  logger: Logger;
  clock: Clock;
  /** The server's guardrails policy: `/api/v1/guard`, human replies and the proxy use it. */
  guard: Guard;
  /** The OpenAI-compatible proxy, when configured. */
  proxy?: ProxyConfig;
  bodyLimit: number;
  publicUrl?: string;
  workerRunning: () => boolean;
}

/** The HTTP surface: public health, chat and webhooks; everything under /api behind the key. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { store, queue, service, channels } = options;
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit,
    // Per-request lines would dominate the log at webhook rates; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
  });
  registerErrorHandling(app);
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(healthRoutes, { store, workerRunning: options.workerRunning });
  await app.register(webchatRoutes, { channels, service });
  await app.register(webhookRoutes, {
    channels,
    service,
    publicUrl: options.publicUrl,
    bodyLimit: options.bodyLimit,
  });
  if (options.proxy) {
    // Outside /api: OpenAI clients authenticate the OpenAI way.
    await app.register(openaiProxyRoutes, {
      guard: options.guard,
      service,
      config: options.proxy,
      adminKey: options.adminKey,
      clock: options.clock,
    });
  }
  await app.register(async (api) => {
    api.addHook("onRequest", requireAdminKey(options.adminKey));
    await api.register(conversationRoutes, { store });
    await api.register(humanReplyRoutes, {
      service,
      screen: options.guard.check,
      canDeliver: (channelId) => channels.has(channelId),
    });
    await api.register(contactRoutes, { store, clock: options.clock });
    await api.register(agentRoutes, { store, clock: options.clock });
    await api.register(outboxRoutes, { queue });
    await api.register(guardRoutes, { guard: options.guard });
  });
  return app;
}
