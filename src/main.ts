import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { createBuiltinAgent, loadKnowledgeBase } from "./agents/builtin/index.ts";
import {
  type AgentSource,
  agentRuntime,
  costOf,
  handoffNotifier,
  openAgentCatalog,
  parseAgentDocument,
} from "./agents/index.ts";
import { buildApp, buildHealthApp, DEFAULT_CONSOLE_DIST, resolveAdminKey } from "./api/index.ts";
import { type Channel, createChannel, deliveryHandler, WebchatRelay } from "./channels/index.ts";
import { consentGate, deliveryGate } from "./compliance/index.ts";
import {
  type AgentConfig,
  type LoadedConfig,
  loadPolicy,
  resolveFromConfig,
  storeOptionsFor,
} from "./config/index.ts";
import {
  ConversationEventFeed,
  ConversationEvents,
  ConversationService,
  DELIVER_JOB,
  HANDOFF_NOTIFY_JOB,
  observeConversationEvents,
  PROCESS_JOB,
} from "./conversations/index.ts";
import { latestEvalResult } from "./evaluation/index.ts";
import { createGuard } from "./guardrails/index.ts";
import { JOBS_CHANNEL, JobWorker, jobQueue } from "./jobs/index.ts";
import { createLimits } from "./limits/index.ts";
import {
  ALERT_NOTIFY_JOB,
  alertNotifyHandler,
  createLogger,
  createNotifier,
  createTelemetry,
  Monitor,
  notificationOutbox,
  type TelemetryOptions,
} from "./monitoring/index.ts";
import {
  ControlState,
  controlledCatalog,
  currentShare,
  killGate,
  RolloutService,
  recordOnIncident,
} from "./rollouts/index.ts";
import { type Clock, systemClock } from "./shared/clock.ts";
import { createEgress } from "./shared/egress/index.ts";
import { describeError, MainstayError } from "./shared/errors.ts";
import { type Random, systemRandom } from "./shared/random.ts";
import { openStore, type Store, type StoreOptions } from "./store/index.ts";

/**
 * What one instance runs (`mainstay start --role`): `api` the HTTP surface only (API,
 * webhooks, web chat, console), `worker` the jobs, the monitor and the rollout watcher
 * (and only health and metrics over HTTP), `all` both. Split roles need PostgreSQL.
 */
export const ROLES = ["api", "worker", "all"] as const;
export type Role = (typeof ROLES)[number];

export interface StartOptions {
  /** Default `all`. */
  role?: Role;
  env?: NodeJS.ProcessEnv;
  port?: number;
  host?: string;
  logger?: Logger;
  clock?: Clock;
  random?: Random;
  /** Overrides where data lives (tests point at a throwaway PostgreSQL schema). */
  store?: StoreOptions;
  /** Where one-time notices (the generated admin key) are printed. */
  announce?: (message: string) => void;
  /** Where spans go instead of the exporters OTEL_* variables name (tests). */
  traceExporter?: TelemetryOptions["traceExporter"];
  /** The built console's folder (default console/dist; tests use a temporary one). */
  consoleDist?: string;
}

export interface Mainstay {
  url: string;
  app: FastifyInstance;
  store: Store;
  worker: JobWorker;
  /** Kill switch and live rollouts as this instance sees them. */
  control: ControlState;
  rollouts: RolloutService;
  /** Rollups and alert rules, once a minute; tests call `monitor.tick()`. */
  monitor: Monitor;
  adminKey: string;
  /** Stop taking requests, let running jobs finish, close the database. */
  close(): Promise<void>;
}

/** Composition root: build every module from the config and start serving. */
export async function startMainstay(
  loaded: LoadedConfig,
  options: StartOptions = {},
): Promise<Mainstay> {
  const { config } = loaded;
  const env = options.env ?? process.env;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.telemetry.logs, env);
  // Runtime state lives where Mainstay runs; files the config refers to, next to it.
  const dataDir = resolve(config.storage.dataDir);
  const storeOptions = options.store ?? storeOptionsFor(config, env);
  const role = options.role ?? "all";
  if (role !== "all" && storeOptions.kind === "sqlite") {
    // The embedded database belongs to one process, so its API and worker are one process.
    throw new MainstayError(
      "MS_CONFIG_INVALID",
      `--role ${role} needs PostgreSQL (set DATABASE_URL); the embedded database runs as --role all`,
    );
  }
  // Files the config names are read first: a bad policy or knowledge base stops the start
  // before anything is created.
  const agentSource = readAgentSource(loaded);
  // Every outbound request (providers, tools, callbacks, notifiers, the proxy upstream,
  // model-tier classifiers) goes through one egress policy: public addresses only, unless
  // allowed, and no redirects (docs/security.md).
  const egress = createEgress({ allow: config.server.egress.allow });
  // Model-tier rules name config secrets for API keys and model folders relative to it.
  const guardRuntime = { secrets: config.secrets, baseDir: loaded.baseDir, fetch: egress.fetch };
  const guard = createGuard(loadPolicy(loaded), guardRuntime);
  const random = options.random ?? systemRandom;
  // Every committed conversation event reaches the console's live stream: this process's
  // on SQLite, every instance's on PostgreSQL (the feed).
  const conversationEvents = new ConversationEvents();
  const store = observeConversationEvents(
    await openStore(storeOptions, clock.now(), logger.child({ module: "store" })),
    conversationEvents,
  );
  const conversationFeed = new ConversationEventFeed(
    store,
    conversationEvents,
    logger.child({ module: "conversations" }),
  );

  try {
    await conversationFeed.start();
    const telemetry = createTelemetry({
      config: config.telemetry,
      env,
      clock,
      logger,
      queue: jobQueue(store.db),
      costOf: (usage, provider, model) => costOf(usage, provider, model, config.prices),
      rolloutSteps: async () =>
        control.liveRollouts().map((r) => ({
          agent: r.agentId,
          rollout: r.id,
          step: r.step,
          share: currentShare(control.rolloutOf(r.agentId)!),
        })),
      traceExporter: options.traceExporter,
    });
    const screen = telemetry.guard(guard);
    const adminKey = resolveAdminKey(
      env,
      dataDir,
      options.announce ?? ((m) => process.stdout.write(`${m}\n`)),
    );
    // Web-chat replies reach the sockets of whichever instance holds the session.
    const webchatRelay = new WebchatRelay({ store, clock, logger });
    const channels = new Map<string, Channel>(
      config.channels.map((c) => [
        c.id,
        createChannel(c, {
          logger,
          clock,
          publicUrl: config.server.publicUrl,
          liveReplies: webchatRelay,
          fetch: egress.fetch,
        }),
      ]),
    );

    const agents = await openAgentCatalog(agentSource, store, {
      // Documents reach the declared secrets only, never the environment.
      secrets: config.secrets,
      fetch: egress.fetch,
      clock,
      random,
      baseDir: loaded.baseDir,
      logger,
      screenFor: (policy) =>
        telemetry.guard(createGuard(loadPolicy(loaded, policy), guardRuntime)).screen,
      observer: telemetry.agents,
      lookupContact: async (contactId) => {
        const contact = await store.contacts.getContact(contactId);
        return contact && { ...contact, identities: await store.contacts.identitiesOf(contactId) };
      },
    });
    // Kill switch and rollouts: kept in memory, reloaded on any instance's change.
    const control = new ControlState(store, { pollMs: 500, logger });
    await control.start();
    const controlled = controlledCatalog(agents, control, store);
    const rollouts = new RolloutService({
      store,
      clock,
      logger,
      control,
      evalPassed: async (agentId, version) =>
        (await latestEvalResult(store, agentId, version))?.passed === true,
      // A rollback opens an incident and tells the team; other decisions, kills and
      // unkills go on the open incident's timeline.
      onControlEvent: (tx, event, now) => recordOnIncident(tx, event, now, alertOutbox),
    });
    const queue = jobQueue(store.db);
    // The embedded database has one process: a job still marked running was left by a crash.
    if (store.dialect === "sqlite") await queue.releaseAbandoned(clock.now());
    // Alert notifications wait in the store; one job per destination sends them together.
    const alertOutbox = notificationOutbox({
      queue,
      destinations: config.alerts.destinations.map((d) => d.name),
      minIntervalMs: config.alerts.minIntervalMs,
      maxAttempts: config.outbox.maxAttempts,
    });
    const limits = createLimits(config.limits, { store, clock, logger });
    const limitReached = telemetry.limitReached;
    let worker: JobWorker | undefined;
    const service = new ConversationService({
      store,
      queue: telemetry.queue(queue),
      clock,
      currentAgent: controlled.assign,
      maxAttempts: config.outbox.maxAttempts,
      onEnqueued: () => worker?.wake(),
      screen: screen.screen,
      notifyHandoffs: config.handoff.webhook !== undefined,
      onHandoff: telemetry.handoff,
      admit: (sender) => limits.messages.admit(sender),
      onLimited: limitReached,
      coalesceMs: config.limits.coalesceMs,
    });
    // A live worker must finish (or give up on) a job before its lease runs out.
    const timeoutMs = Math.min(30_000, config.outbox.leaseMs / 2);
    worker = new JobWorker({
      ...config.outbox,
      queue,
      clock,
      random,
      logger: logger.child({ module: "jobs" }),
      around: telemetry.aroundJob,
      handlers: {
        // Compliance wraps the agent and the sender: it is enforced here, not by the agent.
        [PROCESS_JOB]: consentGate(
          agentRuntime({
            service,
            agentFor: controlled.forConversation,
            onTurn: ({ rolloutId }) => {
              if (rolloutId) rollouts.schedule(rolloutId);
            },
            costOf: (usage, provider, model) => costOf(usage, provider, model, config.prices),
            clock,
            logger,
            timeoutMs,
            screen: screen.screen,
            handoffText: config.handoff.message,
            negativeSentimentStreak: config.handoff.negativeSentimentStreak,
            spend: limits.spend,
            onSpendCap: (cap, action) => limitReached(`spend.${cap.scope}`, action),
          }),
          { service, config: config.compliance, clock },
        ),
        ...(config.handoff.webhook && {
          [HANDOFF_NOTIFY_JOB]: handoffNotifier(store, config.handoff.webhook, egress.fetch),
        }),
        [ALERT_NOTIFY_JOB]: alertNotifyHandler({
          store,
          outbox: alertOutbox,
          notifiers: new Map(
            config.alerts.destinations.map((d) => [d.name, createNotifier(d, egress.fetch)]),
          ),
          clock,
          logger,
          sendTimeoutMs: timeoutMs,
        }),
        [DELIVER_JOB]: killGate(
          deliveryGate(
            deliveryHandler({
              service,
              channels: telemetry.sends(channels),
              clock,
              logger,
              sendTimeoutMs: timeoutMs,
            }),
            { service, config: config.compliance, clock },
          ),
          { store, control, clock },
        ),
      },
    });

    // Jobs enqueued by other instances (PostgreSQL) wake this worker without waiting a poll.
    if (role !== "api") await store.listen(JOBS_CHANNEL, () => worker?.wake());
    // Chat sockets are served by API instances; a worker only announces its replies.
    if (role !== "worker") await webchatRelay.start();
    const metrics = { exposition: telemetry.exposition, token: config.telemetry.metrics.token };
    const workerRunning = () => worker.isRunning;
    // A worker answers its orchestrator and scraper only: health and metrics, no API.
    const serveHttp: typeof buildApp =
      role === "worker"
        ? () => buildHealthApp({ store, logger, workerRunning, metrics })
        : buildApp;
    const app = await serveHttp({
      store,
      queue,
      service,
      channels,
      adminKey,
      apiKeys: config.server.apiKeys,
      secretNames: Object.keys(config.secrets),
      logger,
      clock,
      guard: screen,
      proxy: config.proxy,
      egress: egress.fetch,
      bodyLimit: config.server.bodyLimit,
      publicUrl: config.server.publicUrl,
      workerRunning: role === "api" ? undefined : workerRunning,
      rollouts,
      observeCsat: (labels, score) => telemetry.metrics.observeCsat(labels, score),
      alertRules: config.alerts.rules,
      currentAgent: agents.current,
      intake: telemetry.intake,
      metrics,
      conversationEvents,
      webchatRelay,
      limits: {
        signIn: limits.signIn,
        trustProxy: config.server.trustProxy,
        webchat: {
          sessions: limits.webchatSessions,
          socketsPerAddress: config.limits.webchat.socketsPerAddress,
          onLimited: (limit) => limitReached(limit, "refused"),
        },
      },
      console: config.console.enabled
        ? { dist: options.consoleDist ?? DEFAULT_CONSOLE_DIST }
        : undefined,
    });
    const address = await app.listen({
      port: options.port ?? config.server.port,
      host: options.host ?? config.server.host,
    });
    const monitor = new Monitor({
      store,
      clock,
      logger: logger.child({ module: "monitoring" }),
      rules: config.alerts.rules,
      outbox: alertOutbox,
    });
    // Background work belongs to workers; an API instance only enqueues it.
    if (role !== "api") {
      worker.start();
      limits.start();
      rollouts.watch(10_000);
      monitor.start();
    }
    let closing: Promise<void> | undefined;
    return {
      url: address,
      app,
      store,
      worker,
      control,
      rollouts,
      monitor,
      adminKey,
      close: () => {
        closing ??= (async () => {
          await app.close();
          await worker.stop();
          limits.stop();
          control.stop();
          rollouts.unwatch();
          await rollouts.idle();
          await monitor.stop();
          await telemetry.shutdown();
          await conversationFeed.stop();
          await store.close();
          await egress.close();
        })();
        return closing;
      },
    };
  } catch (e) {
    await conversationFeed.stop();
    await store.close();
    await egress.close();
    throw e;
  }
}

/** What the `agent` setting names, read and checked; `mainstay validate` stops here too. */
export function readAgentSource(loaded: LoadedConfig): AgentSource {
  const config: AgentConfig = loaded.config.agent;
  if (config.type === "builtin") {
    return {
      type: "builtin",
      agent: createBuiltinAgent({
        id: config.id,
        version: config.version,
        knowledge: loadKnowledgeBase(resolveFromConfig(loaded, config.knowledgeDir)),
        threshold: config.threshold,
        handoffText: config.handoffText,
        greetingText: config.greetingText,
      }),
    };
  }
  const file = resolveFromConfig(loaded, config.file);
  let source: string;
  try {
    source = readFileSync(file, "utf8");
  } catch (e) {
    throw new MainstayError("MS_AGENT_INVALID", `${file}: cannot read: ${describeError(e)}`);
  }
  const secrets = Object.keys(loaded.config.secrets);
  return {
    type: "document",
    file,
    source,
    document: parseAgentDocument(source, file, { secrets }),
  };
}
