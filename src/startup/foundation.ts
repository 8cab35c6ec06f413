import { resolve } from "node:path";
import type { Logger } from "pino";
import { type AgentSource, costOf } from "../agents/index.ts";
import { channelTraitsOf } from "../channels/index.ts";
import { type LoadedConfig, loadPolicy, storeOptionsFor } from "../config/index.ts";
import { createGuard, type Guard, type GuardRuntime } from "../guardrails/index.ts";
import { createLogger } from "../monitoring/index.ts";
import { type Clock, systemClock } from "../shared/clock.ts";
import { createEgress, type EgressFetch } from "../shared/egress/index.ts";
import { MainstayError } from "../shared/errors.ts";
import { type Random, systemRandom } from "../shared/random.ts";
import type { StoreOptions } from "../store/index.ts";
import { readAgentSource } from "./agent-source.ts";
import type { Role, StartOptions } from "./start-options.ts";
import type { Started } from "./started-parts.ts";

type Usage = Parameters<typeof costOf>[0];

/** What every later part reads: the config, the injected clock and randomness, egress. */
export interface Foundation {
  loaded: LoadedConfig;
  config: LoadedConfig["config"];
  env: NodeJS.ProcessEnv;
  role: Role;
  clock: Clock;
  random: Random;
  logger: Logger;
  /** Where runtime state (the generated admin key) lives. */
  dataDir: string;
  storeOptions: StoreOptions;
  agentSource: AgentSource;
  /** The one way out to the network (docs/security.md). */
  fetch: EgressFetch;
  guardRuntime: GuardRuntime;
  /** The configured policy, before telemetry wraps it. */
  guard: Guard;
  /** What a model call cost at the configured prices. */
  costOf: (usage: Usage, provider: string, model: string) => number | null;
}

/**
 * Everything that needs no database: checks that stop a bad start before anything is
 * created (the role against the store, the policy, the agent and its files), and egress.
 */
export function startFoundation(loaded: LoadedConfig, options: StartOptions): Started<Foundation> {
  const { config } = loaded;
  const env = options.env ?? process.env;
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
  const policy = loadPolicy(loaded);
  // Every outbound request (providers, tools, callbacks, notifiers, the proxy upstream,
  // model-tier classifiers) goes through one egress policy: public addresses only, unless
  // allowed, and no redirects (docs/security.md).
  const egress = createEgress({ allow: config.server.egress.allow });
  // Model-tier rules name config secrets for API keys and model folders relative to it;
  // rules read what a channel type is like (SMS segments, length caps) from its traits.
  const guardRuntime: GuardRuntime = {
    secrets: config.secrets,
    baseDir: loaded.baseDir,
    fetch: egress.fetch,
    channelTraits: channelTraitsOf,
  };
  let guard: Guard;
  try {
    guard = createGuard(policy, guardRuntime);
  } catch (e) {
    void egress.close();
    throw e;
  }
  return {
    provides: {
      loaded,
      config,
      env,
      role,
      clock: options.clock ?? systemClock,
      random: options.random ?? systemRandom,
      logger: options.logger ?? createLogger(config.telemetry.logs, env),
      // Runtime state lives where Mainstay runs; files the config refers to, next to it.
      dataDir: resolve(config.storage.dataDir),
      storeOptions,
      agentSource,
      fetch: egress.fetch,
      guardRuntime,
      guard,
      costOf: (usage, provider, model) => costOf(usage, provider, model, config.prices),
    },
    close: () => egress.close(),
  };
}
