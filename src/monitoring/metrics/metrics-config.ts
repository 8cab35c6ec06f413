import { z } from "zod";
import { bearerSecretSchema } from "../../shared/bearer-token.ts";

/** The `telemetry.metrics` section of mainstay.yaml. */
export const metricsConfigSchema = z
  .object({
    /**
     * When set, `GET /metrics` answers only requests with `Authorization: Bearer <token>`
     * (Prometheus `authorization.credentials`); unset, it is public like `/healthz`.
     */
    token: bearerSecretSchema.min(16, "use at least 16 characters").optional(),
  })
  .strict();

export type MetricsConfig = z.infer<typeof metricsConfigSchema>;
