import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import pino from "pino";
import twilio from "twilio";
import type { Agent } from "../../src/agents/index.ts";
import { agentRuntime } from "../../src/agents/index.ts";
import { parseConfigText } from "../../src/config/index.ts";
import type { Job } from "../../src/jobs/index.ts";
import { limitsConfigSchema, SpendCaps } from "../../src/limits/index.ts";
import { startMainstay } from "../../src/main.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { backends } from "../support/backends.ts";
import { connectChat } from "../support/chat-client.ts";
import {
  ADMIN_KEY,
  KNOWLEDGE_DIR,
  queueDrained,
  signedWebhook,
  startTestApp,
  type TestApp,
} from "../support/test-app.ts";
import { openTestService } from "../support/test-service.ts";

const silent = pino({ level: "silent" });

/** Every message of the app's conversations, oldest first. */
async function allMessages(app: TestApp) {
  const conversations = await app.store.conversations.list({ limit: 100 });
  const lists = await Promise.all(conversations.map((c) => app.store.messages.recent(c.id, 500)));
  return lists.flat();
}

const agentTurns = async (app: TestApp) =>
  (await allMessages(app)).filter((m) => m.author === "agent").length;

function webhookFrom(from: string, id: string, text = "Where is my order?") {
  return signedWebhook({ id, from, text });
}

describe("limits: one customer, session, sender or address cannot drive unbounded work", () => {
  const apps: TestApp[] = [];
  after(async () => {
    for (const app of apps) await app.dispose();
  });
  const start = async (limits: string, extra: Parameters<typeof startTestApp>[0] = {}) => {
    const app = await startTestApp({ limits, ...extra });
    apps.push(app);
    return app;
  };

  test("a burst of 100 web-chat frames makes at most the configured 5 agent turns", async () => {
    const app = await start("{ coalesceMs: 0, perSender: { points: 5, seconds: 60 } }");
    const chat = await connectChat(
      `${app.url.replace("http", "ws")}/chat/web/ws?session=burst0123456789abcdef`,
    );
    assert.equal((await chat.next()).type, "history");
    // Sent in waves of 20, each answered before the next, so the test measures the sender
    // limit and never the cut-off for a socket with more than 50 frames waiting.
    const frames = [];
    for (let wave = 0; wave < 5; wave++) {
      for (let i = 0; i < 20; i++) {
        chat.send({ type: "message", id: `c${wave * 20 + i}`, text: `line ${wave * 20 + i}` });
      }
      let answered = 0;
      while (answered < 20) {
        const frame = await chat.next();
        if (frame.type === "ack" || frame.type === "error") {
          frames.push(frame);
          answered++;
        }
      }
    }
    await chat.close();
    const acks = frames.filter((f) => f.type === "ack");
    const errors = frames.filter((f) => f.type === "error");
    assert.equal(acks.length, 5);
    assert.equal(errors.length, 95);
    // A line over the limit is refused with when to send it again.
    for (const f of errors) {
      assert.equal(f.type === "error" && f.code, "MS_RATE_LIMITED");
      assert.ok(f.type === "error" && f.clientId && (f.retryAfterMs ?? 0) >= 1000);
    }
    await queueDrained(app.store, 30_000);
    const turns = await agentTurns(app);
    assert.ok(turns >= 1 && turns <= 5, `${turns} agent turns`);
    // Refused lines were never stored: the page keeps them and sends them again later.
    const inbound = (await allMessages(app)).filter((m) => m.direction === "inbound");
    assert.equal(inbound.length, 5);
  });

  test("60 webhook messages from one sender: past the limit, 429 with Retry-After", async () => {
    const app = await start("{ coalesceMs: 0, perSender: { points: 10, seconds: 60 } }");
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i < 60; i++) {
      const res = await app.app.inject(webhookFrom("+15550001111", `w${i}`));
      statuses.push(res.statusCode);
      if (res.statusCode === 429) {
        retryAfter ??= String(res.headers["retry-after"]);
        assert.equal(res.json().error.code, "MS_RATE_LIMITED");
      }
    }
    assert.equal(statuses.filter((s) => s === 202).length, 10);
    assert.equal(statuses.filter((s) => s === 429).length, 50);
    assert.ok(Number(retryAfter) >= 1 && Number(retryAfter) <= 60, `Retry-After ${retryAfter}`);
    // A sender whose allowance is used up is turned away before the guardrails screen the
    // message (a read of their counter): only the 10 accepted messages were screened.
    const metrics = (await app.app.inject({ url: "/metrics" })).body;
    const screened =
      /mainstay_guardrail_evaluation_duration_seconds_count\{direction="inbound"\} (\d+)/.exec(
        metrics,
      );
    assert.equal(Number(screened?.[1]), 10, "inbound guardrail evaluations");
    // Another sender is not held back by the first one's limit.
    assert.equal((await app.app.inject(webhookFrom("+15550002222", "other"))).statusCode, 202);
    await queueDrained(app.store, 30_000);
    assert.ok((await agentTurns(app)) <= 11);
  });

  test("a sender that does not retry (Twilio) over the limit: stored, marked, not answered", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mainstay-limits-"));
    const token = "twilio-auth-token-123";
    const publicUrl = "https://mainstay.example.com";
    const yaml = `
server: { port: 0, host: 127.0.0.1, publicUrl: ${publicUrl} }
storage: { dataDir: ${JSON.stringify(dir)} }
agent: { id: support, type: builtin, knowledgeDir: ${JSON.stringify(KNOWLEDGE_DIR)} }
channels:
  - { id: sms, type: twilio, accountSid: AC0123456789abcdef0123456789abcdef, authToken: ${token}, from: "+15005550006" }
outbox: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50, pollIntervalMs: 20 }
limits: { coalesceMs: 0, perSender: { points: 2, seconds: 60 } }
`;
    const app = await startMainstay(parseConfigText(yaml, join(dir, "mainstay.yaml")), {
      env: { MAINSTAY_ADMIN_KEY: ADMIN_KEY },
      logger: silent,
    });
    try {
      for (let i = 0; i < 4; i++) {
        const params = { MessageSid: `SM${i}`, From: "+14155550100", To: "+15005550006" };
        const form = { ...params, Body: `question ${i}` };
        const res = await app.app.inject({
          method: "POST",
          url: "/webhooks/sms",
          payload: new URLSearchParams(form).toString(),
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            "x-twilio-signature": twilio.getExpectedTwilioSignature(
              token,
              `${publicUrl}/webhooks/sms`,
              form,
            ),
          },
        });
        // Twilio does not retry: answering 429 would lose the message.
        assert.equal(res.statusCode, 200);
      }
      const [conversation] = await app.store.conversations.list({ limit: 10 });
      const messages = await app.store.messages.recent(conversation!.id, 50);
      const inbound = messages.filter((m) => m.direction === "inbound");
      assert.equal(inbound.length, 4);
      const limited = inbound.filter((m) => m.meta["limited"] !== undefined);
      assert.equal(limited.length, 2);
      assert.equal((limited[0]!.meta["limited"] as { limit: string }).limit, "sender");
      const events = await app.store.events.list(conversation!.id);
      assert.equal(events.filter((e) => e.type === "message.limited").length, 2);
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("200 web-chat sockets from one client address: only socketsPerAddress open", async () => {
    const app = await start("{ coalesceMs: 0, webchat: { socketsPerAddress: 5 } }");
    const base = `${app.url.replace("http", "ws")}/chat/web/ws`;
    const chats = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        connectChat(`${base}?session=socket${String(i).padStart(12, "0")}`),
      ),
    );
    const first = await Promise.all(chats.map((c) => c.next()));
    const refused = first.filter((f) => f.type === "error" && f.code === "MS_RATE_LIMITED");
    assert.equal(refused.length, 195);
    assert.equal(first.filter((f) => f.type === "history").length, 5);
    await Promise.all(chats.map((c) => c.close()));
  });

  test("new web-chat sessions per address are limited; a known session reconnects", async () => {
    const app = await start(
      "{ coalesceMs: 0, webchat: { sessionsPerAddress: { points: 2, seconds: 3600 } } }",
    );
    const base = `${app.url.replace("http", "ws")}/chat/web/ws`;
    const open = async (session: string) => {
      const chat = await connectChat(`${base}?session=${session}`);
      const frame = await chat.next();
      return { chat, frame };
    };
    const known = await open("known0123456789abcdef");
    known.chat.send({ type: "message", id: "k1", text: "hello" });
    assert.equal((await known.chat.next()).type, "ack");
    await known.chat.close();
    const second = await open("second0123456789abcdef");
    await second.chat.close();
    // A refused session's frames, even those sent before the refusal arrives, are dropped.
    const third = await connectChat(`${base}?session=third0123456789abcdefg`);
    third.send({ type: "message", id: "t1", text: "sent before the refusal" });
    const refusal = await third.next();
    assert.equal(refusal.type === "error" && refusal.code, "MS_RATE_LIMITED");
    await third.closed;
    assert.equal(
      await app.store.contacts.findIdentity("webchat", "third0123456789abcdefg"),
      undefined,
    );
    const again = await open("known0123456789abcdef");
    assert.equal(again.frame.type, "history");
    await again.chat.close();
  });

  test("300 wrong sign-in keys: locked out after the limit, with a growing back-off", async () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 1));
    const app = await start(
      "{ coalesceMs: 0, signIn: { perAddress: 3, perKeyPrefix: 100, seconds: 900, blockSeconds: 60 } }",
      { clock },
    );
    const signIn = (key: string) =>
      app.app.inject({ method: "POST", url: "/console/session", payload: { key } });
    const codes: number[] = [];
    for (let i = 0; i < 300; i++)
      codes.push((await signIn(`wrong-key-${i}-0123456789abcdef`)).statusCode);
    assert.deepEqual(codes.slice(0, 4), [401, 401, 401, 401]);
    assert.ok(codes.slice(4).every((c) => c === 429));
    const locked = await signIn(ADMIN_KEY);
    assert.equal(locked.statusCode, 429, "even the right key waits out the lock-out");
    assert.equal(locked.headers["retry-after"], "60");
    clock.advance(61_000);
    assert.equal((await signIn(ADMIN_KEY)).statusCode, 200);
    for (let i = 0; i < 4; i++) await signIn(`again-wrong-${i}-0123456789abcdef`);
    const second = await signIn(ADMIN_KEY);
    assert.equal(second.statusCode, 429);
    assert.equal(second.headers["retry-after"], "120", "the second lock-out is twice as long");
  });

  test("wrong Bearer keys on the API lock the address out too", async () => {
    const app = await start("{ coalesceMs: 0, signIn: { perAddress: 3, perKeyPrefix: 100 } }");
    const call = (key: string) =>
      app.app.inject({ url: "/api/v1/conversations", headers: { authorization: `Bearer ${key}` } });
    const codes: number[] = [];
    for (let i = 0; i < 10; i++) codes.push((await call(`guess-${i}-0123456789abcdef`)).statusCode);
    assert.deepEqual(codes, [401, 401, 401, 401, 429, 429, 429, 429, 429, 429]);
    const locked = await call(ADMIN_KEY);
    assert.equal(locked.statusCode, 429);
    assert.equal(locked.json().error.code, "MS_RATE_LIMITED");
  });

  test("five lines typed within the coalescing window cost one agent turn", async () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 1));
    const app = await start("{ coalesceMs: 2000 }", { clock });
    for (let i = 0; i < 5; i++) {
      const res = await app.app.inject(webhookFrom("+15550003333", `line${i}`, `part ${i}`));
      assert.equal(res.statusCode, 202);
      clock.advance(100);
    }
    clock.advance(2000);
    app.worker.wake();
    await queueDrained(app.store, 30_000);
    const messages = await allMessages(app);
    const replies = messages.filter((m) => m.author === "agent");
    assert.equal(replies.length, 1);
    const covered = replies[0]!.meta["covers"] as string[];
    assert.deepEqual(
      covered,
      messages.filter((m) => m.direction === "inbound").map((m) => m.id),
    );
  });
});

describe("limits hold across two instances on PostgreSQL", { skip: !backends[1] }, () => {
  test("one sender's allowance is shared by both instances", async () => {
    const created = await backends[1]!.create();
    const limits = "{ coalesceMs: 0, perSender: { points: 10, seconds: 60 } }";
    const a = await startTestApp({ limits, store: created.options });
    const b = await startTestApp({ limits, store: created.options });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) {
        const app = i % 2 === 0 ? a : b;
        statuses.push((await app.app.inject(webhookFrom("+15550004444", `pg${i}`))).statusCode);
      }
      assert.equal(statuses.filter((s) => s === 202).length, 10);
      assert.equal(statuses.filter((s) => s === 429).length, 20);
    } finally {
      await a.dispose();
      await b.dispose();
      await created.cleanup();
    }
  });
});

describe("spend caps: a turn past a cap takes the configured action", () => {
  const usage = { inputTokens: 40, outputTokens: 20 };
  const costly: Agent = {
    id: "support",
    version: "1",
    respond: async () => ({ text: "Here is a long answer.", usage, meta: { provider: "fake" } }),
  };
  const cases = [
    { action: "handoff", state: "human", system: 1 },
    { action: "canned", state: "bot", system: 1 },
    { action: "refuse", state: "bot", system: 0 },
  ] as const;
  for (const c of cases) {
    test(`per conversation tokens, action ${c.action}`, async () => {
      const clock = new ManualClock(Date.UTC(2026, 5, 1));
      const { store, service, close } = await openTestService(clock);
      try {
        const config = limitsConfigSchema.parse({
          spend: { perConversation: { tokens: 100 }, action: c.action, message: "Capped." },
        });
        const capped: string[] = [];
        const runtime = agentRuntime({
          service,
          agentFor: async () => ({ agent: costly }),
          clock,
          logger: silent,
          spend: new SpendCaps(config.spend),
          onSpendCap: (cap) => capped.push(`${cap.scope}:${cap.unit}`),
        });
        const channel = { id: "api", type: "generic" };
        for (let i = 0; i < 3; i++) {
          const accepted = await service.receive(channel, {
            providerMessageId: `m${i}`,
            from: "+15550005555",
            text: `question ${i}`,
          });
          await runtime.run({ payload: { ...accepted } } as unknown as Job);
          clock.advance(1000);
        }
        const [conversation] = await store.conversations.list({ limit: 1 });
        const messages = await store.messages.recent(conversation!.id, 50);
        // 60 tokens a turn: the first two turns pass (0 and 60 spent), the third is capped.
        assert.equal(messages.filter((m) => m.author === "agent").length, 2);
        assert.equal(messages.filter((m) => m.author === "system").length, c.system);
        assert.equal(conversation!.state, c.state);
        assert.deepEqual(capped, ["conversation:tokens"]);
        const events = await store.events.list(conversation!.id);
        const event = events.find((e) => e.type === "spend.capped");
        assert.ok(event, "a spend.capped event is recorded");
        assert.equal((event.data as { action: string }).action, c.action);
      } finally {
        await close();
      }
    });
  }
});
