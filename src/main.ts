import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { FastifyInstance } from "fastify";
import pino, { type Logger } from "pino";
import { createBuiltinAgent, loadKnowledgeBase } from "./agents/builtin/index.ts";
import {
  type AgentSource,
  agentRuntime,
  costOf,
  handoffNotifier,
  openAgentCatalog,
  parseAgentDocument,
} from "./agents/index.ts";
import { buildApp, resolveAdminKey } from "./api/index.ts";
import { type Channel, createChannel, deliveryHandler } from "./channels/index.ts";
import { consentGate, deliveryGate } from "./compliance/index.ts";
import {
  type AgentConfig,
  type LoadedConfig,
  loadPolicy,
  resolveFromConfig,
  storeOptionsFor,
} from "./config/index.ts";
import {
  ConversationService,
  DELIVER_JOB,
  HANDOFF_NOTIFY_JOB,
  PROCESS_JOB,
} from "./conversations/index.ts";
import { createGuard } from "./guardrails/index.ts";
import { JOBS_CHANNEL, JobWorker, jobQueue } from "./jobs/index.ts";
import { type Clock, systemClock } from "./shared/clock.ts";
import { describeError, MainstayError } from "./shared/errors.ts";
import { type Random, systemRandom } from "./shared/random.ts";
import { openStore, type Store, type StoreOptions } from "./store/index.ts";

export interface StartOptions {
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
}

export interface Mainstay {
  url: string;
  app: FastifyInstance;
  store: Store;
  worker: JobWorker;
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
  const logger =
    options.logger ?? pino({ level: env["MAINSTAY_LOG_LEVEL"] ?? "info", base: undefined });
  // Runtime state lives where Mainstay runs; files the config refers to, next to it.
  const dataDir = resolve(config.storage.dataDir);
  const storeOptions = options.store ?? storeOptionsFor(config, env);
  // Files the config names are read first: a bad policy or knowledge base stops the start
  // before anything is created.
  const agentSource = readAgentSource(loaded);
  const guard = createGuard(loadPolicy(loaded));
  const random = options.random ?? systemRandom;
  const store = await openStore(storeOptions, clock.now());

  try {
    const adminKey = resolveAdminKey(
      env,
      dataDir,
      options.announce ?? ((m) => process.stdout.write(`${m}\n`)),
    );
    const channels = new Map<string, Channel>(
      config.channels.map((c) => [
        c.id,
        createChannel(c, { logger, clock, publicUrl: config.server.publicUrl }),
      ]),
    );

    const agents = await openAgentCatalog(agentSource, store, {
      env,
      clock,
      random,
      baseDir: loaded.baseDir,
      logger,
      screenFor: (policy) => createGuard(loadPolicy(loaded, policy)).check,
      lookupContact: async (contactId) => {
        const contact = await store.contacts.getContact(contactId);
        return contact && { ...contact, identities: await store.contacts.identitiesOf(contactId) };
      },
    });
    const queue = jobQueue(store.db);
    // The embedded database has one process: a job still marked running was left by a crash.
    if (store.dialect === "sqlite") await queue.releaseAbandoned(clock.now());
    let worker: JobWorker | undefined;
    const service = new ConversationService({
      store,
      queue,
      clock,
      currentAgent: agents.current,
      maxAttempts: config.outbox.maxAttempts,
      onEnqueued: () => worker?.wake(),
      screen: guard.check,
      notifyHandoffs: config.handoff.webhook !== undefined,
    });
    // A live worker must finish (or give up on) a job before its lease runs out.
    const timeoutMs = Math.min(30_000, config.outbox.leaseMs / 2);
    worker = new JobWorker({
      ...config.outbox,
      queue,
      clock,
      random,
      logger: logger.child({ module: "jobs" }),
      handlers: {
        // Compliance wraps the agent and the sender: it is enforced here, not by the agent.
        [PROCESS_JOB]: consentGate(
          agentRuntime({
            service,
            agentFor: agents.forConversation,
            costOf: (usage, provider, model) => costOf(usage, provider, model, config.prices),
            clock,
            logger,
            timeoutMs,
            screen: guard.check,
            handoffText: config.handoff.message,
            negativeSentimentStreak: config.handoff.negativeSentimentStreak,
          }),
          { service, config: config.compliance, clock },
        ),
        ...(config.handoff.webhook && {
          [HANDOFF_NOTIFY_JOB]: handoffNotifier(store, config.handoff.webhook),
        }),
        [DELIVER_JOB]: deliveryGate(
          deliveryHandler({ service, channels, clock, logger, sendTimeoutMs: timeoutMs }),
          { service, config: config.compliance, clock },
        ),
      },
    });

    // Jobs enqueued by other instances (PostgreSQL) wake this worker without waiting a poll.
    await store.listen(JOBS_CHANNEL, () => worker?.wake());
    const app = await buildApp({
      store,
      queue,
      service,
      channels,
      adminKey,
      logger,
      clock,
      guard,
      proxy: config.proxy,
      bodyLimit: config.server.bodyLimit,
      publicUrl: config.server.publicUrl,
      workerRunning: () => worker.isRunning,
    });
    const address = await app.listen({
      port: options.port ?? config.server.port,
      host: options.host ?? config.server.host,
    });
    worker.start();
    let closing: Promise<void> | undefined;
    return {
      url: address,
      app,
      store,
      worker,
      adminKey,
      close: () => {
        closing ??= (async () => {
          await app.close();
          await worker.stop();
          await store.close();
        })();
        return closing;
      },
    };
  } catch (e) {
    await store.close();
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
  return { type: "document", file, source, document: parseAgentDocument(source, file) };
}
