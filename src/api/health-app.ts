import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import type { Logger } from "pino";
import type { Store } from "../store/index.ts";
import { registerErrorHandling } from "./error-handler.ts";
import { healthRoutes } from "./routes/health.ts";
import { type Exposition, metricsRoutes } from "./routes/metrics.ts";

export interface HealthAppOptions {
  store: Store;
  logger: Logger;
  workerRunning: () => boolean;
  /** `GET /metrics`: the Prometheus exposition, and the token scrapers must send, if set. */
  metrics: { exposition: Exposition; token?: string };
}

/**
 * What a `--role worker` instance serves: `/healthz`, `/readyz` and `/metrics` for its
 * orchestrator and scraper, and nothing a customer or operator calls.
 */
export async function buildHealthApp(options: HealthAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
  });
  registerErrorHandling(app);
  await app.register(healthRoutes, {
    store: options.store,
    workerRunning: options.workerRunning,
  });
  await app.register(metricsRoutes, options.metrics);
  return app;
}
