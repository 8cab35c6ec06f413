import type { FastifyInstance } from "fastify";
import type { Store } from "../../store/index.ts";

/**
 * Under Kubernetes' default probe timeout (1 s), so a database that does not answer (a
 * dropped network, an exhausted pool) reads as "failing" here instead of a probe timeout.
 */
const STORE_CHECK_TIMEOUT_MS = 800;

/** `store.check()`, or a rejection once the database took longer than the probe allows. */
async function checkStore(store: Store) {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`database did not answer within ${STORE_CHECK_TIMEOUT_MS} ms`)),
      STORE_CHECK_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([store.check(), late]);
  } finally {
    clearTimeout(timer);
  }
}

export async function healthRoutes(
  app: FastifyInstance,
  /** `workerRunning` is absent where no worker runs by design (`--role api`). */
  opts: { store: Store; workerRunning?: () => boolean },
) {
  /** Liveness: the process answers. */
  app.get("/healthz", async () => ({ status: "ok" }));

  /** Readiness: the store answers in time, migrations are applied and the worker runs. */
  app.get("/readyz", async (_request, reply) => {
    const checks: Record<string, string> = {};
    try {
      const { migration } = await checkStore(opts.store);
      checks["store"] = "ok";
      checks["migrations"] = `ok (${migration})`;
    } catch (e) {
      checks["store"] = `failing: ${(e as Error).message}`;
    }
    if (opts.workerRunning) checks["worker"] = opts.workerRunning() ? "ok" : "stopped";
    const ready = Object.values(checks).every((v) => v.startsWith("ok"));
    return reply.status(ready ? 200 : 503).send({ status: ready ? "ready" : "not_ready", checks });
  });
}
