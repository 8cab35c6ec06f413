import type { FastifyInstance } from "fastify";
import type { AlertRule } from "../../monitoring/index.ts";
import type { Store } from "../../store/index.ts";
import { iso } from "../views.ts";

/**
 * `GET /api/v1/alerts`: every alert rule in force (built-in and configured) and, per rule,
 * the alerts firing now (one per label set).
 */
export async function alertRoutes(
  app: FastifyInstance,
  opts: { store: Store; rules: readonly AlertRule[] },
) {
  app.get("/api/v1/alerts", async () => {
    const firing = await opts.store.alertStates.listFiring();
    return {
      data: opts.rules.map((rule) => {
        const alerts = firing.filter((a) => a.rule === rule.name);
        return {
          name: rule.name,
          summary: rule.summary ?? null,
          metric: rule.metric,
          windowMinutes: rule.window / 60_000,
          condition: rule.condition,
          severity: rule.severity,
          enabled: rule.enabled,
          state: alerts.length > 0 ? "firing" : "ok",
          firing: alerts.map((a) => ({
            labels: JSON.parse(a.labels) as Record<string, string>,
            since: iso(a.since),
            value: a.value,
            reference: a.reference,
            incidentId: a.incidentId,
          })),
        };
      }),
    };
  });
}
