import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pino from "pino";
import { agentRuntime } from "../../src/agents/index.ts";
import { signGenericBody } from "../../src/channels/index.ts";
import { PROCESS_JOB } from "../../src/conversations/index.ts";
import type { Job } from "../../src/jobs/index.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { startCallbackServer } from "../support/callback-server.ts";
import {
  auth,
  queueDrained,
  signedWebhook,
  startTestApp,
  type TestApp,
} from "../support/test-app.ts";
import { openTestService } from "../support/test-service.ts";

const HOOK_SECRET = "handoff-webhook-secret-1234";

describe("human handoff", () => {
  let app: TestApp;
  let hook: Awaited<ReturnType<typeof startCallbackServer>>;
  let replies: Awaited<ReturnType<typeof startCallbackServer>>;
  let n = 0;

  before(async () => {
    hook = await startCallbackServer();
    replies = await startCallbackServer();
    app = await startTestApp({
      callbackUrl: replies.url,
      extraYaml: `handoff: { webhook: { url: ${hook.url}, secret: ${HOOK_SECRET} }, negativeSentimentStreak: 2 }\n`,
    });
  });
  after(async () => {
    await app?.dispose();
    await hook?.close();
    await replies?.close();
  });

  const say = async (from: string, text: string) => {
    const res = await app.app.inject(signedWebhook({ id: `h-${++n}`, from, text }));
    return res.json().conversationId as string;
  };
  const detail = async (id: string) =>
    (await app.app.inject({ url: `/api/v1/conversations/${id}`, headers: auth })).json();
  const messages = async (id: string) =>
    (await app.app.inject({ url: `/api/v1/conversations/${id}/messages`, headers: auth })).json()
      .data as { author: string; text: string; direction: string }[];
  const idle = () => queueDrained(app.store);

  it("hands off on request, tells the team with a signed summary, and the bot goes quiet", async () => {
    const id = await say("+15550901", "Can I talk to a real person please?");
    await idle();
    const conversation = await detail(id);
    assert.equal(conversation.state, "human");
    const notice = hook.received.find((r) => JSON.parse(r.body).conversationId === id);
    assert.ok(notice, "the handoff webhook was called");
    assert.equal(notice.headers["x-mainstay-signature"], signGenericBody(HOOK_SECRET, notice.body));
    const body = JSON.parse(notice.body);
    assert.equal(body.reason, "customer_request");
    assert.match(body.summary, /Customer: Can I talk to a real person please\?/);

    const before = (await messages(id)).length;
    await say("+15550901", "How long does shipping take?");
    await idle();
    const after = await messages(id);
    assert.equal(after.length, before + 1, "stored, not answered by the bot");
  });

  it("lets a person reply through the outbox with the outbound policy, then hand back", async () => {
    const id = await say("+15550902", "I want to speak to a human");
    await idle();
    const reply = await app.app.inject({
      method: "POST",
      url: `/api/v1/conversations/${id}/messages`,
      headers: auth,
      payload: { text: "Hi, Sam here. Email me at sam.lee@example.com", agentName: "Sam" },
    });
    assert.equal(reply.statusCode, 202);
    assert.equal(reply.json().author, "human");
    assert.equal(reply.json().text, "Hi, Sam here. Email me at [EMAIL]");
    await idle();
    assert.ok(replies.received.some((r) => JSON.parse(r.body).text.includes("Sam here")));

    const blocked = await app.app.inject({
      method: "POST",
      url: `/api/v1/conversations/${id}/messages`,
      headers: auth,
      payload: { text: "use key AKIAIOSFODNN7EXAMPLE" },
    });
    assert.equal(blocked.statusCode, 422);
    assert.equal(blocked.json().error.code, "MS_POLICY_BLOCKED");

    const back = await app.app.inject({
      method: "POST",
      url: `/api/v1/conversations/${id}/handback`,
      headers: auth,
      payload: { agentName: "Sam" },
    });
    assert.deepEqual(back.json(), { id, state: "bot" });
    const again = await app.app.inject({
      method: "POST",
      url: `/api/v1/conversations/${id}/handback`,
      headers: auth,
      payload: {},
    });
    assert.equal(again.json().error.code, "MS_NOT_HANDED_OFF");
    await say("+15550902", "How long does shipping take?");
    await idle();
    assert.match((await messages(id)).at(-1)!.text, /business days/);
    const types = (await detail(id)).events.map((e: { type: string }) => e.type);
    assert.ok(types.includes("conversation.handback"));
  });

  it("lets a person take over by replying, without paging the team", async () => {
    const id = await say("+15550906", "How long does shipping take?");
    await idle();
    const reply = await app.app.inject({
      method: "POST",
      url: `/api/v1/conversations/${id}/messages`,
      headers: auth,
      payload: { text: "Hi, Sam here, I'll look into it." },
    });
    assert.equal(reply.statusCode, 202);
    await idle();
    const conversation = await detail(id);
    assert.equal(conversation.state, "human");
    const handoff = conversation.events.find(
      (e: { type: string }) => e.type === "conversation.handoff",
    );
    assert.equal(handoff.data.reason, "human_took_over");
    assert.ok(!hook.received.some((r) => JSON.parse(r.body).conversationId === id));
  });

  it("hands off a customer who stays negative", async () => {
    const id = await say("+15550903", "Terrible. How long does shipping take?");
    await idle();
    await say("+15550903", "I hate this. How do I return a phone?");
    await idle();
    const conversation = await detail(id);
    assert.equal(conversation.state, "human");
    const handoff = conversation.events.find(
      (e: { type: string }) => e.type === "conversation.handoff",
    );
    assert.equal(handoff.data.reason, "negative_sentiment");
  });

  it("answers 404 and 400 for unknown conversations and bad bodies", async () => {
    const missing = await app.app.inject({
      method: "POST",
      url: "/api/v1/conversations/conv_nope/messages",
      headers: auth,
      payload: { text: "hi" },
    });
    assert.equal(missing.statusCode, 404);
    const id = await say("+15550904", "hello");
    const bad = await app.app.inject({
      method: "POST",
      url: `/api/v1/conversations/${id}/messages`,
      headers: auth,
      payload: { text: "" },
    });
    assert.equal(bad.json().error.code, "MS_BAD_REQUEST");
  });
});

describe("agent failure", () => {
  it("hands off and tells the customer when the agent fails on every attempt", async () => {
    const clock = new ManualClock();
    const { store, service, close } = await openTestService(clock);
    try {
      const { conversationId, messageId } = await service.receive(
        { id: "api", type: "generic" },
        { providerMessageId: "f-1", from: "+15550905", text: "hello" },
      );
      const runtime = agentRuntime({
        service,
        clock,
        logger: pino({ level: "silent" }),
        agentFor: async () => ({
          agent: {
            id: "broken",
            version: "1",
            respond: async () => {
              throw new Error("provider down");
            },
          },
        }),
      });
      const job = { kind: PROCESS_JOB, payload: { conversationId, messageId }, attempts: 3 };
      await assert.rejects(runtime.run(job as unknown as Job), /provider down/);
      await runtime.onDead!(job as unknown as Job, "provider down");
      assert.equal((await store.conversations.get(conversationId))?.state, "human");
      const last = (await store.messages.recent(conversationId, 5)).at(-1);
      assert.equal(last?.author, "system");
      assert.match(last?.text ?? "", /person from our team/);
      const types = (await store.events.list(conversationId)).map((e) => e.type);
      assert.ok(types.includes("agent.failed") && types.includes("conversation.handoff"));
    } finally {
      await close();
    }
  });
});
