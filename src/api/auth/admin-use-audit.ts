import type { FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import { appendAudit } from "../../audit/index.ts";
import type { Clock } from "../../shared/clock.ts";
import { describeError } from "../../shared/errors.ts";
import type { Store } from "../../store/index.ts";

/** At most one `api_key.used` entry per key and route in this window, across instances. */
const ADMIN_USE_EVERY_MS = 60_000;

/**
 * Writes whose handler appends its own audit entry naming the key: that entry records the
 * use, so `api_key.used` would say it twice.
 */
const SELF_AUDITED = new Set([
  "POST /api/v1/agents/:id/versions",
  "POST /api/v1/agents/:id/activate",
  "POST /api/v1/agents/:id/kill",
  "DELETE /api/v1/agents/:id/kill",
  "POST /api/v1/rollouts",
  "POST /api/v1/rollouts/:id/pause",
  "POST /api/v1/rollouts/:id/resume",
  "POST /api/v1/rollouts/:id/promote",
  "POST /api/v1/rollouts/:id/abort",
  "POST /api/v1/canned-responses",
  "PUT /api/v1/canned-responses/:id",
  "DELETE /api/v1/canned-responses/:id",
  "DELETE /api/v1/console-sessions",
  "DELETE /api/v1/console-sessions/:id",
  "POST /api/v1/conversations/:id/assign",
  "POST /api/v1/conversations/:id/notes",
  "POST /api/v1/conversations/:id/labels",
  "DELETE /api/v1/conversations/:id/labels/:label",
  "POST /api/v1/conversations/:id/resolve",
  "POST /api/v1/conversations/:id/close",
  "POST /api/v1/conversations/:id/reopen",
  "POST /api/v1/incidents",
  "POST /api/v1/incidents/:id/notes",
  "POST /api/v1/incidents/:id/acknowledge",
  "POST /api/v1/incidents/:id/resolve",
  "POST /api/v1/api-keys",
  "POST /api/v1/api-keys/:id/rotate",
  "DELETE /api/v1/api-keys/:id",
  "GET /api/v1/contacts/:id/export",
  "POST /api/v1/contacts/:id/erase",
  "POST /api/v1/legal-holds",
  "POST /api/v1/legal-holds/:id/lift",
]);

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
    const route = `${request.method} ${request.routeOptions.url ?? request.url}`;
    if (SELF_AUDITED.has(route)) return payload;
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
