import type { FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import { appendAudit } from "../../audit/index.ts";
import type { Clock } from "../../shared/clock.ts";
import { describeError } from "../../shared/errors.ts";
import type { Store } from "../../store/index.ts";

/** At most one `api_key.used` entry per key and route in this window, across instances. */
const ADMIN_USE_EVERY_MS = 60_000;

/**
 * Route option (`{ config: SELF_AUDITED }`) of a write whose handler appends its own audit
 * entry naming the key: that entry records the use, so `api_key.used` would say it twice.
 */
export const SELF_AUDITED = { selfAudited: true } as const;

declare module "fastify" {
  interface FastifyContextConfig {
    /** See SELF_AUDITED. */
    selfAudited?: boolean;
  }
}

/**
 * `onSend` hook: a request made with an admin key (config or managed) is recorded as
 * `api_key.used` (target: method and route pattern, data: the status), unless its route
 * audits itself. This instance remembers what it recorded, so the store is asked only once
 * a minute per key and route; the store's claim (`api_key_uses`) keeps other instances
 * from recording the same minute again.
 */
export function recordAdminUse(store: Store, clock: Clock, logger: Logger) {
  const recorded = new Map<string, number>();
  return async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const principal = request.principal;
    if (principal?.role !== "admin") return payload;
    if (request.routeOptions.config.selfAudited) return payload;
    const route = `${request.method} ${request.routeOptions.url ?? request.url}`;
    const now = clock.now();
    const key = `${principal.name}\n${route}`;
    if (now - (recorded.get(key) ?? Number.NEGATIVE_INFINITY) < ADMIN_USE_EVERY_MS) {
      return payload;
    }
    recorded.set(key, now);
    try {
      await store.transaction(async (tx) => {
        if (!(await tx.apiKeys.claimUseEntry(principal.name, route, now, ADMIN_USE_EVERY_MS))) {
          return;
        }
        const data = { status: reply.statusCode };
        await appendAudit(
          tx,
          { actor: principal.name, action: "api_key.used", target: route, data },
          now,
        );
      });
    } catch (e) {
      // The answer is ready; losing one use entry must not turn it into an error.
      recorded.delete(key);
      logger.error({ err: describeError(e), route }, "api_key.used audit entry not written");
    }
    return payload;
  };
}
