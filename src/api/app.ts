import cookie from "@fastify/cookie";
import websocket from "@fastify/websocket";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import type { Logger } from "pino";
import type { Channel, WebchatRelay } from "../channels/index.ts";
import {
  type ConversationEvents,
  type ConversationService,
  DEFAULT_OUTCOME_LABEL_SETTINGS,
  type OutcomeLabelsConfig,
  outcomeLabelSettings,
  type QueuedIntake,
} from "../conversations/index.ts";
import type { Guard } from "../guardrails/index.ts";
import type { JobQueue } from "../jobs/index.ts";
import type { SignInGuard } from "../limits/index.ts";
import type { AlertRule, Intake } from "../monitoring/index.ts";
import type { ProxyConfig } from "../proxy/index.ts";
import type { RolloutService } from "../rollouts/index.ts";
import type { Clock } from "../shared/clock.ts";
import type { EgressFetch } from "../shared/egress/index.ts";
import type { Store } from "../store/index.ts";
import {
  type ApiKeyConfig,
  apiKeyring,
  ManagedKeys,
  recordAdminUse,
  requireApiKey,
} from "./auth/index.ts";
import { consoleRoutes, SessionStore } from "./console/index.ts";
import { ControlChanges } from "./control-changes.ts";
import { registerErrorHandling } from "./error-handler.ts";
import { guardRoutes } from "./guard-route.ts";
import { agentQualityRoutes } from "./routes/agent-quality.ts";
import { agentRoutes } from "./routes/agents.ts";
import { agentsOverviewRoutes } from "./routes/agents-overview.ts";
import { alertRoutes } from "./routes/alerts.ts";
import { apiKeyRoutes } from "./routes/api-keys.ts";
import { auditRoutes } from "./routes/audit.ts";
import { cannedResponseRoutes } from "./routes/canned-responses.ts";
import { consentRoutes } from "./routes/consent.ts";
import { consoleSessionRoutes } from "./routes/console-sessions.ts";
import { contactRoutes } from "./routes/contacts.ts";
import { conversationRoutes } from "./routes/conversations.ts";
import { evaluationRoutes } from "./routes/evaluations.ts";
import { feedbackRoutes } from "./routes/feedback.ts";
import { governanceRoutes } from "./routes/governance.ts";
import { handoffRoutes } from "./routes/handoffs.ts";
import { healthRoutes } from "./routes/health.ts";
import { humanReplyRoutes } from "./routes/human-replies.ts";
import { inboxRoutes } from "./routes/inbox.ts";
import { incidentRoutes } from "./routes/incidents.ts";
import { type Exposition, metricsRoutes } from "./routes/metrics.ts";
import { metricsApiRoutes } from "./routes/metrics-api.ts";
import { openaiProxyRoutes } from "./routes/openai-proxy.ts";
import { outboxRoutes } from "./routes/outbox.ts";
import { rolloutRoutes } from "./routes/rollouts.ts";
import { streamRoutes } from "./routes/stream.ts";
import { turnTraceRoutes } from "./routes/turn-traces.ts";
import { type WebchatLimits, webchatRoutes } from "./routes/webchat.ts";
import { webhookRoutes } from "./routes/webhooks.ts";

export interface AppOptions {
  store: Store;
  queue: JobQueue;
  service: ConversationService;
  channels: ReadonlyMap<string, Channel>;
  adminKey: string;
  /** Named keys with roles (`server.apiKeys`), besides the admin key. */
  apiKeys?: readonly ApiKeyConfig[];
  /** Names of the config's `secrets`: the only ones an agent document pushed may name. */
  secretNames: readonly string[];
  logger: Logger;
  clock: Clock;
  /** The server's guardrails policy: `/api/v1/guard`, human replies and the proxy use it. */
  guard: Guard;
  /** The OpenAI-compatible proxy, when configured. */
  proxy?: ProxyConfig;
  bodyLimit: number;
  publicUrl?: string;
  /** Whether this instance's job worker runs; absent where none runs (`--role api`). */
  workerRunning?: () => boolean;
  rollouts: RolloutService;
  /** The alert rules in force, for `GET /api/v1/alerts`. */
  alertRules?: readonly AlertRule[];
  /** The agent this server runs and its version for new conversations. */
  currentAgent?: () => Promise<{ id: string; version: string }>;
  /** `outcomes:` in mainstay.yaml: when conversations count as resolved or abandoned. */
  outcomes?: OutcomeLabelsConfig;
  /** Told every CSAT score customers give (metrics). */
  observeCsat?: (
    labels: { agent: string; version: string; channel: string },
    score: number,
  ) => void;
  /** Around every webhook call and chat frame: metrics and traces. */
  intake: Intake;
  /** Takes webhook messages in once queued (`intake.mode: queued`); absent, they are stored. */
  queuedIntake?: QueuedIntake;
  /** `GET /metrics`: the Prometheus exposition, and the token scrapers must send, if set. */
  metrics: { exposition: Exposition; token?: string };
  /** Conversation changes (every instance's on PostgreSQL), for `GET /api/v1/stream`. */
  conversationEvents: ConversationEvents;
  /** Pushes web-chat replies to this instance's chat sockets, and records their receipts. */
  webchatRelay: WebchatRelay;
  /** The operator console, served from the built `dist` folder; absent when disabled. */
  console?: { dist: string };
  /** Outbound requests go through it (the proxy's upstream call). */
  egress?: EgressFetch;
  /** Per client address: wrong keys, web-chat sessions and sockets (limits/). */
  limits?: {
    signIn: SignInGuard;
    /** `server.trustProxy`: which hops' X-Forwarded-For names the client. */
    trustProxy: boolean | string[];
    webchat: WebchatLimits;
  };
}

/** The HTTP surface: public health, chat and webhooks; everything under /api behind a key. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { store, queue, service, channels } = options;
  const outcomes = options.outcomes
    ? outcomeLabelSettings(options.outcomes)
    : DEFAULT_OUTCOME_LABEL_SETTINGS;
  const keyring = apiKeyring(options.adminKey, options.apiKeys ?? []);
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit,
    // Per-request lines would dominate the log at webhook rates; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
    trustProxy: options.limits?.trustProxy ?? false,
  });
  registerErrorHandling(app);
  // Console sign-ins are also how the API authenticates a browser (cookie + CSRF token).
  let sessions: SessionStore | undefined;
  const keys = new ManagedKeys(store, options.clock, keyring.names);
  if (options.console) {
    await app.register(cookie);
    sessions = new SessionStore(store, keyring, options.clock, undefined, keys);
    await app.register(consoleRoutes, {
      keyring,
      sessions,
      managed: keys,
      dist: options.console.dist,
      signIn: options.limits?.signIn,
    });
  }
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(healthRoutes, { store, workerRunning: options.workerRunning });
  await app.register(metricsRoutes, options.metrics);
  await app.register(webchatRoutes, {
    channels,
    service,
    relay: options.webchatRelay,
    intake: options.intake,
    limits: options.limits?.webchat,
  });
  await app.register(webhookRoutes, {
    channels,
    service,
    publicUrl: options.publicUrl,
    bodyLimit: options.bodyLimit,
    intake: options.intake,
    queuedIntake: options.queuedIntake,
  });
  if (options.proxy) {
    // Outside /api: OpenAI clients authenticate the OpenAI way.
    await app.register(openaiProxyRoutes, {
      guard: options.guard,
      service,
      config: options.proxy,
      adminKey: options.adminKey,
      clock: options.clock,
      fetch: options.egress,
    });
  }
  await app.register(async (api) => {
    const managed = { keys, conversation: (id: string) => store.conversations.get(id) };
    api.addHook("onRequest", requireApiKey(keyring, sessions, options.limits?.signIn, managed));
    api.addHook("onSend", recordAdminUse(store, options.clock, options.logger));
    await api.register(apiKeyRoutes, { keys, clock: options.clock });
    await api.register(conversationRoutes, { store, clock: options.clock, outcomes });
    await api.register(turnTraceRoutes, { store });
    await api.register(humanReplyRoutes, {
      service,
      screen: options.guard.check,
      canDeliver: (channelId) => channels.has(channelId),
    });
    await api.register(handoffRoutes, { service });
    await api.register(inboxRoutes, { service });
    await api.register(cannedResponseRoutes, { store, clock: options.clock });
    await api.register(contactRoutes, { store, clock: options.clock });
    await api.register(consentRoutes, { store, clock: options.clock });
    await api.register(agentRoutes, {
      store,
      clock: options.clock,
      secrets: options.secretNames,
    });
    await api.register(evaluationRoutes, { store });
    await api.register(outboxRoutes, { queue });
    await api.register(rolloutRoutes, { store, rollouts: options.rollouts });
    await api.register(alertRoutes, { store, rules: options.alertRules ?? [] });
    if (options.currentAgent) {
      await api.register(agentsOverviewRoutes, {
        store,
        currentAgent: options.currentAgent,
        clock: options.clock,
        outcomes,
      });
    }
    await api.register(agentQualityRoutes, { store, clock: options.clock });
    await api.register(feedbackRoutes, {
      store,
      clock: options.clock,
      observeCsat: options.observeCsat,
    });
    await api.register(auditRoutes, { store });
    await api.register(consoleSessionRoutes, { store, clock: options.clock });
    await api.register(metricsApiRoutes, { store, clock: options.clock });
    await api.register(incidentRoutes, { store, clock: options.clock });
    await api.register(governanceRoutes, { store, clock: options.clock });
    await api.register(guardRoutes, { guard: options.guard });
    await api.register(streamRoutes, {
      events: options.conversationEvents,
      changes: new ControlChanges(store, { logger: options.logger }),
    });
  });
  return app;
}
