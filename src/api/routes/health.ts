import type { FastifyInstance } from "fastify";
import type { Store } from "../../store/index.ts";

export async function healthRoutes(
  app: FastifyInstance,
  opts: { store: Store; workerRunning: () => boolean },
) {
  /** Liveness: the process answers. */
  app.get("/healthz", async () => ({ status: "ok" }));

  /** Readiness: the store answers, migrations are applied and the worker runs. */
  app.get("/readyz", async (_request, reply) => {
    const checks: Record<string, string> = {};
    try {
      const { migration } = await opts.store.check();
      checks["store"] = "ok";
      checks["migrations"] = `ok (${migration})`;
    } catch (e) {
      checks["store"] = `failing: ${(e as Error).message}`;
    }
    checks["worker"] = opts.workerRunning() ? "ok" : "stopped";
    const ready = Object.values(checks).every((v) => v.startsWith("ok"));
    return reply.status(ready ? 200 : 503).send({ status: ready ? "ready" : "not_ready", checks });
  });
}
