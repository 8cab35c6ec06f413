import Fastify, { type FastifyBaseLogger } from "fastify";
import { registerErrorHandling } from "../../src/api/error-handler.ts";
import { webhookRoutes } from "../../src/api/routes/webhooks.ts";
import type { Channel } from "../../src/channels/index.ts";
import type { ConversationService, InboundMessage } from "../../src/conversations/index.ts";
import { unobservedIntake } from "../../src/monitoring/index.ts";

/**
 * `POST /webhooks/<channel id>` alone, with the API's error answers, over a service whose
 * store fails once (a dropped connection) on the first message `failsOn` picks.
 */
export async function startFlakyWebhookRoute(options: {
  channel: Channel;
  service: ConversationService;
  failsOn: (message: InboundMessage) => boolean;
  logger?: FastifyBaseLogger;
}) {
  const { service } = options;
  let failed = false;
  const flaky = {
    store: service.store,
    now: () => service.now(),
    applyStatus: service.applyStatus.bind(service),
    receive: async (...args: Parameters<ConversationService["receive"]>) => {
      if (!failed && options.failsOn(args[1])) {
        failed = true;
        throw new Error("connection terminated unexpectedly");
      }
      return service.receive(...args);
    },
  } as unknown as ConversationService;
  const app = Fastify(options.logger ? { loggerInstance: options.logger } : {});
  registerErrorHandling(app);
  await app.register(webhookRoutes, {
    channels: new Map([[options.channel.id, options.channel]]),
    service: flaky,
    bodyLimit: 1_000_000,
    intake: unobservedIntake,
  });
  return app;
}
