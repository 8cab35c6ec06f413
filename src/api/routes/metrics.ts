import type { FastifyInstance } from "fastify";
import { bearerToken } from "../../shared/bearer-token.ts";
import { MainstayError } from "../../shared/errors.ts";
import { safeEqual } from "../../shared/hmac.ts";

/** The Prometheus exposition, rendered when scraped. */
export interface Exposition {
  contentType: string;
  render(): Promise<string>;
}

/**
 * `GET /metrics` in the Prometheus text format, outside `/api`: public like `/healthz`
 * unless `telemetry.metrics.token` is set, then only with `Authorization: Bearer <token>`
 * (a scraper gets its own secret, not an API key).
 */
export async function metricsRoutes(
  app: FastifyInstance,
  opts: { exposition: Exposition; token?: string },
) {
  const { exposition, token } = opts;
  app.get("/metrics", async (request, reply) => {
    const sent = bearerToken(request.headers.authorization);
    if (token !== undefined && (sent === undefined || !safeEqual(sent, token))) {
      throw new MainstayError(
        "MS_UNAUTHORIZED",
        "send `Authorization: Bearer <telemetry.metrics.token>`",
        401,
      );
    }
    return reply.type(exposition.contentType).send(await exposition.render());
  });
}
