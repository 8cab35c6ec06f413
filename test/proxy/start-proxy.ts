import Fastify from "fastify";
import OpenAI from "openai";
import { openaiProxyRoutes } from "../../src/api/routes/openai-proxy.ts";
import { createGuard, defaultPolicy } from "../../src/guardrails/index.ts";
import { proxyConfigSchema } from "../../src/proxy/index.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { type FakeLlmScript, startFakeOpenAI } from "../support/fake-llm-servers.ts";
import { openTestService } from "../support/test-service.ts";

export const ADMIN_KEY = "test-admin-key-0123456789";
export const UPSTREAM_KEY = "sk-upstream-0123456789";

/**
 * The proxy route on its own app, with the default policy, a real store and a fake
 * OpenAI upstream, and the official `openai` package as the client.
 */
export async function startProxy(script?: FakeLlmScript) {
  const clock = new ManualClock();
  const { store, service, close } = await openTestService(clock);
  const upstream = await startFakeOpenAI(script);
  const app = Fastify();
  await app.register(openaiProxyRoutes, {
    guard: createGuard(defaultPolicy()),
    service,
    config: proxyConfigSchema.parse({ upstream: { baseUrl: upstream.url, apiKey: UPSTREAM_KEY } }),
    adminKey: ADMIN_KEY,
    clock,
  });
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  const client = (apiKey = ADMIN_KEY) =>
    new OpenAI({ baseURL: `${url}/v1`, apiKey, maxRetries: 0 });
  return {
    url,
    store,
    upstream,
    openai: client(ADMIN_KEY),
    client,
    /** Conversations on the proxy channel with their messages and events, oldest first. */
    async recorded() {
      const conversations = await store.conversations.list({ channelId: "proxy", limit: 50 });
      return Promise.all(
        conversations.reverse().map(async (c) => ({
          ...c,
          messages: await store.messages.list(c.id, undefined, 100),
          events: await store.events.list(c.id),
        })),
      );
    },
    async close() {
      await app.close();
      await upstream.close();
      await close();
    },
  };
}
