import type { FastifyInstance } from "fastify";
import { buildApp, buildHealthApp, DEFAULT_CONSOLE_DIST, resolveAdminKey } from "../api/index.ts";
import type { Limits } from "../limits/index.ts";
import type { RolloutService } from "../rollouts/index.ts";
import type { Agents, Channels } from "./agents.ts";
import type { Conversations } from "./conversations.ts";
import type { Foundation } from "./foundation.ts";
import type { Jobs } from "./jobs.ts";
import type { StartOptions } from "./start-options.ts";
import type { Started } from "./started-parts.ts";
import type { Storage } from "./storage.ts";
import type { Telemetry } from "./telemetry.ts";

export interface Http {
  app: FastifyInstance;
  url: string;
  adminKey: string;
}

/** What `startHttp` builds on. */
export interface HttpParts {
  storage: Storage;
  jobs: Jobs;
  telemetry: Telemetry;
  limits: Limits;
  channels: Channels;
  agents: Agents;
  rollouts: RolloutService;
  conversations: Conversations;
}

/**
 * The HTTP surface: the whole API on `api` and `all` instances; health and metrics only on
 * a worker, which answers its orchestrator and scraper.
 */
export async function startHttp(
  { config, env, role, dataDir, clock, logger, fetch }: Foundation,
  parts: HttpParts,
  options: Pick<StartOptions, "announce" | "consoleDist" | "port" | "host">,
): Promise<Started<Http>> {
  const { storage, jobs, telemetry, limits, channels, agents, rollouts, conversations } = parts;
  const { store, conversationEvents } = storage;
  const { service, screen, worker, queuedIntake } = conversations;
  const adminKey = resolveAdminKey(
    env,
    dataDir,
    options.announce ?? ((m) => process.stdout.write(`${m}\n`)),
  );
  // Chat sockets are served by API instances; a worker only announces its replies.
  if (role !== "worker") await channels.webchatRelay.start();
  const metrics = { exposition: telemetry.exposition, token: config.telemetry.metrics.token };
  const workerRunning = () => worker.isRunning;
  const app =
    role === "worker"
      ? await buildHealthApp({ store, logger, workerRunning, metrics })
      : await buildApp({
          store,
          queue: jobs.queue,
          service,
          channels: channels.channels,
          adminKey,
          apiKeys: config.server.apiKeys,
          secretNames: Object.keys(config.secrets),
          logger,
          clock,
          guard: screen,
          proxy: config.proxy,
          egress: fetch,
          bodyLimit: config.server.bodyLimit,
          publicUrl: config.server.publicUrl,
          workerRunning: role === "api" ? undefined : workerRunning,
          rollouts,
          outcomes: config.outcomes,
          observeCsat: (labels, score) => telemetry.metrics.observeCsat(labels, score),
          alertRules: config.alerts.rules,
          currentAgent: agents.agents.current,
          intake: telemetry.intake,
          queuedIntake,
          metrics,
          conversationEvents,
          webchatRelay: channels.webchatRelay,
          limits: {
            signIn: limits.signIn,
            trustProxy: config.server.trustProxy,
            webchat: {
              sessions: limits.webchatSessions,
              socketsPerAddress: config.limits.webchat.socketsPerAddress,
              onLimited: (limit) => telemetry.limitReached(limit, "refused"),
            },
          },
          console: config.console.enabled
            ? { dist: options.consoleDist ?? DEFAULT_CONSOLE_DIST }
            : undefined,
        });
  const close = () => app.close();
  try {
    const url = await app.listen({
      port: options.port ?? config.server.port,
      host: options.host ?? config.server.host,
    });
    return { provides: { app, url, adminKey }, close };
  } catch (e) {
    await close();
    throw e;
  }
}
