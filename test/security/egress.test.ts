import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import pino from "pino";
import { handoffNotifier } from "../../src/agents/handoff/handoff-notifier.ts";
import { createOpenAICompatible, ProviderError } from "../../src/agents/providers/index.ts";
import { createHttpTool } from "../../src/agents/tools/index.ts";
import { ChannelSendError, createChannel } from "../../src/channels/index.ts";
import { channelConfigSchema } from "../../src/channels/registry.ts";
import type { Job } from "../../src/jobs/index.ts";
import { createNotifier, destinationSchema } from "../../src/monitoring/notifiers/index.ts";
import { callUpstream } from "../../src/proxy/upstream.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { createEgress, type EgressFetch } from "../../src/shared/egress/index.ts";
import { openTestService } from "../support/test-service.ts";

/** A local server that counts its requests; `/redirect` sends the caller to `target`. */
async function startServer(answer: (url: string) => { status: number; location?: string }) {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? "");
    const { status, location } = answer(req.url ?? "");
    res.writeHead(status, location ? { location } : { "content-type": "application/json" });
    res.end(status < 300 ? JSON.stringify({ secret: "internal body" }) : "");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, hits, close: () => new Promise<void>((r) => server.close(() => r())) };
}

type LocalServer = Awaited<ReturnType<typeof startServer>>;

describe("egress: no redirect is followed, for any caller", () => {
  let internal: LocalServer;
  let redirector: LocalServer;
  // Loopback is allowed here, so only the redirect rule is under attack.
  const egress = createEgress({ allow: ["127.0.0.0/8"] });
  before(async () => {
    internal = await startServer(() => ({ status: 200 }));
    redirector = await startServer(() => ({ status: 302, location: `${internal.url}/admin` }));
  });
  after(async () => {
    await internal.close();
    await redirector.close();
    await egress.close();
  });

  const signal = () => AbortSignal.timeout(5000);
  const cases: { caller: string; attack: (url: string, fetch: EgressFetch) => Promise<void> }[] = [
    {
      caller: "HTTP tool",
      async attack(url, fetch) {
        const tool = createHttpTool({
          name: "orders",
          description: "orders",
          method: "GET",
          url: `${url}/orders/{{id}}`,
          parameters: { type: "object" },
          timeoutMs: 5000,
          fetch,
        });
        const result = await tool.run({ id: "1" }, { conversationId: "c", contactId: "k" });
        assert.match(result.content, /redirect/);
        assert.doesNotMatch(result.content, /internal body/);
      },
    },
    {
      caller: "provider",
      async attack(url, fetch) {
        const provider = createOpenAICompatible({ baseUrl: url, apiKey: "sk-secret", fetch });
        await assert.rejects(
          provider.chat({ model: "m", messages: [{ role: "user", content: "hi" }] }),
          (e) => e instanceof ProviderError && !e.options.retryable && /redirect/.test(e.message),
        );
      },
    },
    {
      caller: "generic channel callback",
      async attack(url, fetch) {
        const config = channelConfigSchema.parse({
          id: "api",
          type: "generic",
          secret: "s".repeat(20),
          callbackUrl: `${url}/cb`,
        });
        const channel = createChannel(config, {
          logger: pino({ level: "silent" }),
          clock: new ManualClock(),
          fetch,
        });
        await assert.rejects(
          channel.send(
            {
              id: "m1",
              conversationId: "c1",
              to: "u1",
              text: "hi",
              attachments: [],
              createdAt: 0,
              meta: {},
              inReplyTo: null,
              inReplyToMeta: {},
            },
            signal(),
          ),
          (e) => e instanceof ChannelSendError && !e.retryable && /redirect/.test(e.message),
        );
      },
    },
    {
      caller: "alert notifier",
      async attack(url, fetch) {
        const destination = destinationSchema.parse({
          name: "team",
          type: "webhook",
          url: `${url}/alerts`,
          secret: "s".repeat(20),
        });
        const notifier = createNotifier(destination, fetch);
        const digest = { id: "d1", items: [], createdAt: 0 } as never;
        await assert.rejects(notifier.send(digest, signal()), /redirect/);
      },
    },
    {
      caller: "handoff webhook",
      async attack(url, fetch) {
        const clock = new ManualClock();
        const { service, store, close } = await openTestService(clock);
        try {
          const accepted = await service.receive(
            { id: "api", type: "generic" },
            { providerMessageId: "x1", from: "u1", text: "a person please" },
          );
          const notify = handoffNotifier(
            store,
            { url: `${url}/handoffs`, secret: "s".repeat(20), timeoutMs: 5000 },
            fetch,
          );
          const job = { id: 1, payload: { conversationId: accepted.conversationId, reason: "x" } };
          await assert.rejects(notify.run(job as unknown as Job), /redirect/);
        } finally {
          await close();
        }
      },
    },
    {
      caller: "proxy upstream (the redirected body never reaches the proxy's caller)",
      async attack(url, fetch) {
        const config = { upstream: { baseUrl: url, apiKey: "sk" }, timeoutMs: 5000 } as never;
        const result = await callUpstream(config, { stream: false }, signal(), fetch);
        assert.equal(result.kind, "failed");
        assert.doesNotMatch(JSON.stringify(result), /internal body/);
      },
    },
  ];
  for (const c of cases) {
    test(`${c.caller}: a 302 to another loopback port is refused`, async () => {
      const before = internal.hits.length;
      await c.attack(redirector.url, egress.fetch);
      assert.equal(internal.hits.length, before, "the redirect target was never called");
    });
  }
});

describe("egress: private, loopback, link-local and metadata addresses are refused", () => {
  let server: LocalServer;
  before(async () => {
    server = await startServer(() => ({ status: 200 }));
  });
  after(() => server.close());
  const port = () => new URL(server.url).port;

  // Resolves the test's host names without DNS: what an attacker's domain might answer.
  const names: Record<string, string> = {
    "internal.example.com": "10.0.0.5",
    "loop.example.com": "127.0.0.1",
    "metadata.google.internal": "169.254.169.254",
    "mapped.example.com": "::ffff:127.0.0.1",
    "public.example.com": "93.184.216.34",
  };
  const resolve = async (host: string) => {
    const address = names[host];
    if (!address) throw new Error(`unknown ${host}`);
    return [{ address, family: address.includes(":") ? 6 : 4 }];
  };
  const refused = [
    "http://127.0.0.1:PORT/",
    "http://[::1]:PORT/",
    "http://10.0.0.1/",
    "http://192.168.1.1/",
    "http://172.16.0.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/",
    "http://0.0.0.0:PORT/",
    "http://[::ffff:127.0.0.1]:PORT/",
    "http://[fd00:ec2::254]/",
    "http://[64:ff9b::7f00:1]:PORT/",
    "http://internal.example.com/",
    "http://loop.example.com:PORT/",
    "http://mapped.example.com:PORT/",
    "http://metadata.google.internal/computeMetadata/v1/",
  ];
  for (const target of refused) {
    test(`${target.replace("PORT", "<port>")} is refused without an allow-list entry`, async () => {
      const egress = createEgress({ resolve });
      try {
        const before = server.hits.length;
        await assert.rejects(
          egress.fetch(target.replace("PORT", port()), { signal: AbortSignal.timeout(3000) }),
          (e: Error) => /refused/.test(`${e.message} ${(e.cause as Error | undefined)?.message}`),
        );
        assert.equal(server.hits.length, before);
      } finally {
        await egress.close();
      }
    });
  }

  const allowed = [
    { allow: ["127.0.0.1/32"], target: "http://127.0.0.1:PORT/" },
    { allow: ["127.0.0.0/8"], target: "http://loop.example.com:PORT/" },
    { allow: ["loop.example.com"], target: "http://loop.example.com:PORT/" },
  ];
  for (const c of allowed) {
    test(`${c.target.replace("PORT", "<port>")} is reached with allow ${c.allow}`, async () => {
      const egress = createEgress({ allow: c.allow, resolve });
      try {
        const res = await egress.fetch(c.target.replace("PORT", port()));
        assert.equal(res.status, 200);
        await res.text();
      } finally {
        await egress.close();
      }
    });
  }

  test("DNS rebinding: the connection goes to the address that was checked", async () => {
    // First answer allowed (127.0.0.1), every later one not (127.0.0.2): an implementation
    // that checks one answer and connects by resolving again would land on 127.0.0.2.
    const other = createServer((_req, res) => res.end("rebound"));
    await new Promise<void>((r) => other.listen(Number(port()), "127.0.0.2", r));
    let lookups = 0;
    const egress = createEgress({
      allow: ["127.0.0.1/32"],
      resolve: async () => [{ address: lookups++ === 0 ? "127.0.0.1" : "127.0.0.2", family: 4 }],
    });
    try {
      const res = await egress.fetch(`http://rebind.example.com:${port()}/`);
      assert.match(await res.text(), /internal body/, "served by the checked address");
      assert.equal(lookups, 1, "resolved once, for the check and the connection");
    } finally {
      await egress.close();
      await new Promise<void>((r) => other.close(() => r()));
    }
  });
});
