import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { JobWorker } from "../jobs/index.ts";
import type { Monitor, TelemetryOptions } from "../monitoring/index.ts";
import type { ControlState, RolloutService } from "../rollouts/index.ts";
import type { Clock } from "../shared/clock.ts";
import type { Random } from "../shared/random.ts";
import type { Store, StoreOptions } from "../store/index.ts";

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
