import Fastify from "fastify";
import OpenAI from "openai";
import pino from "pino";
import { openaiProxyRoutes } from "../../src/api/routes/openai-proxy.ts";
import type { ConversationService } from "../../src/conversations/index.ts";
import { createGuard, defaultPolicy } from "../../src/guardrails/index.ts";
import { JobWorker, jobQueue } from "../../src/jobs/index.ts";
import {
  type ExchangeRecord,
  PROXY_RECORD_JOB,
  ProxyRecordOutbox,
  proxyConfigSchema,
  proxyRecordHandler,
  type RecordingService,
} from "../../src/proxy/index.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { createEgress } from "../../src/shared/egress/index.ts";
import { seededRandom } from "../../src/shared/random.ts";
import type { Backend } from "../support/backends.ts";
import { type FakeLlmScript, startFakeOpenAI } from "../support/fake-llm-servers.ts";
import { openTestService } from "../support/test-service.ts";

export const ADMIN_KEY = "test-admin-key-0123456789";
export const UPSTREAM_KEY = "sk-upstream-0123456789";
/** The worker's largest retry delay: advancing the clock by it makes a failed job due. */
export const MAX_RETRY_DELAY_MS = 1000;

export interface StartProxyOptions {
  /** The store behind it; a throwaway SQLite file without one. */
  backend?: Backend;
  /** The outbox writes no record job before this settles (rejected: the write fails). */
  enqueueGate?: Promise<void>;
  /** How many runs of the record job fail (the database is away) before they succeed. */
  failingRecordRuns?: number;
}

/**
 * The proxy route on its own app, with the default policy, a real store, a fake OpenAI
 * upstream reached through the server's egress (loopback allowed, as examples/proxy.yaml
 * does), a job worker with the record handler (as main.ts composes them), and the official
 * `openai` package as the client.
 */
export async function startProxy(script?: FakeLlmScript, options: StartProxyOptions = {}) {
  const clock = new ManualClock();
  const place = await options.backend?.create();
  const { store, service, close } = await openTestService(clock, place?.options);
  const upstream = await startFakeOpenAI(script);
  const egress = createEgress({ allow: ["127.0.0.1/32"] });
  const lost: { error: unknown; exchanges: readonly ExchangeRecord[] }[] = [];
  const records = new ProxyRecordOutbox({
    service: {
      transact: async (fn) => {
        await options.enqueueGate;
        return service.transact(fn);
      },
    },
    clock,
    onLost: (error, exchanges) => lost.push({ error, exchanges }),
  });
  const worker = new JobWorker({
    queue: jobQueue(store.db),
    handlers: { [PROXY_RECORD_JOB]: proxyRecordHandler({ service: flaky(service, options) }) },
    clock,
    random: seededRandom(7),
    logger: pino({ level: "silent" }),
    concurrency: 4,
    leaseMs: 60_000,
    pollIntervalMs: 10,
    baseDelayMs: 100,
    maxDelayMs: MAX_RETRY_DELAY_MS,
  });
  const app = Fastify();
  await app.register(openaiProxyRoutes, {
    guard: createGuard(defaultPolicy()),
    service,
    config: proxyConfigSchema.parse({ upstream: { baseUrl: upstream.url, apiKey: UPSTREAM_KEY } }),
    adminKey: ADMIN_KEY,
    clock,
    fetch: egress.fetch,
    records,
  });
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  const client = (apiKey = ADMIN_KEY) =>
    new OpenAI({ baseURL: `${url}/v1`, apiKey, maxRetries: 0 });
  /** Conversations on the proxy channel with their messages and events, oldest first. */
  const stored = async () => {
    const conversations = await store.conversations.list({ channelId: "proxy", limit: 50 });
    return Promise.all(
      conversations.reverse().map(async (c) => ({
        ...c,
        messages: await store.messages.list(c.id, undefined, 100),
        events: await store.events.list(c.id),
      })),
    );
  };
  return {
    url,
    store,
    service,
    clock,
    upstream,
    records,
    worker,
    lost,
    openai: client(ADMIN_KEY),
    client,
    stored,
    /**
     * What is stored once every answered exchange is in a job and the worker has run all
     * that is due.
     */
    async recorded() {
      await records.idle();
      while ((await worker.runOnce()) > 0);
      return stored();
    },
    async close() {
      await app.close();
      await egress.close();
      await upstream.close();
      await close();
      await place?.cleanup();
    },
  };
}

/** The service as the record job sees it, failing its first `failingRecordRuns` runs. */
function flaky(service: ConversationService, options: StartProxyOptions): RecordingService {
  let failures = options.failingRecordRuns ?? 0;
  return {
    conversationFor: (...args) => service.conversationFor(...args),
    transact: (fn) =>
      failures-- > 0 ? Promise.reject(new Error("database unavailable")) : service.transact(fn),
  };
}
