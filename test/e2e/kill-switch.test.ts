import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { backends } from "../support/backends.ts";
import { startCallbackServer } from "../support/callback-server.ts";
import { startDocumentAgentApp } from "../support/document-agent.ts";
import { auth, eventually, queueDrained, signedWebhook } from "../support/test-app.ts";

type DocApp = Awaited<ReturnType<typeof startDocumentAgentApp>>;

/** The replies in a conversation, oldest first. */
async function replies(env: DocApp, conversationId: string) {
  const res = await env.inject({
    url: `/api/v1/conversations/${conversationId}/messages`,
    headers: auth,
  });
  return (
    res.json().data as {
      direction: string;
      author: string;
      text: string;
      status: string;
      error: string | null;
      agent: { version: string } | null;
    }[]
  ).filter((m) => m.direction === "outbound");
}

async function ask(env: DocApp, from: string, id: string, text = "How long does shipping take?") {
  const res = await env.inject(signedWebhook({ id, from, text }));
  assert.equal(res.statusCode, 202, res.body);
  await queueDrained(env.app.store);
  return res.json().conversationId as string;
}

describe("kill switch", () => {
  let env: DocApp;
  before(async () => {
    env = await startDocumentAgentApp();
  });
  after(() => env?.dispose());

  it("sends the agent's conversations to the fallback and brings it back", async () => {
    const before = await ask(env, "+15550100001", "k-1");
    assert.equal((await replies(env, before))[0]!.author, "agent");

    const killed = await env.inject({
      method: "POST",
      url: "/api/v1/agents/support/kill",
      headers: auth,
      payload: {
        reason: "leaking order data",
        fallback: { type: "canned", text: "We'll be right back." },
      },
    });
    assert.equal(killed.statusCode, 200, killed.body);
    // An existing conversation and a new one both get the canned reply, from Mainstay.
    for (const [from, id] of [
      ["+15550100001", "k-2"],
      ["+15550100002", "k-3"],
    ] as const) {
      const conversationId = await ask(env, from, id);
      const last = (await replies(env, conversationId)).at(-1)!;
      assert.equal(last.author, "system");
      assert.equal(last.text, "We'll be right back.");
    }

    // A person instead: the conversation is handed off.
    await env.inject({
      method: "POST",
      url: "/api/v1/agents/support/kill",
      headers: auth,
      payload: { reason: "still leaking" },
    });
    const human = await ask(env, "+15550100003", "k-4");
    const conversation = (
      await env.inject({ url: `/api/v1/conversations/${human}`, headers: auth })
    ).json();
    assert.equal(conversation.state, "human");

    // Another version answers for it.
    const version = await env.activeVersion();
    await env.inject({
      method: "POST",
      url: "/api/v1/agents/support/kill",
      headers: auth,
      payload: { reason: "switch", fallback: { type: "version", version } },
    });
    const other = await ask(env, "+15550100004", "k-5");
    assert.equal((await replies(env, other)).at(-1)!.author, "agent");

    const kills = (await env.inject({ url: "/api/v1/kills", headers: auth })).json();
    assert.equal(kills.data[0].agentId, "support");
    const undo = await env.inject({
      method: "DELETE",
      url: "/api/v1/agents/support/kill",
      headers: auth,
    });
    assert.equal(undo.statusCode, 204);
    const again = await env.inject({
      method: "DELETE",
      url: "/api/v1/agents/support/kill",
      headers: auth,
    });
    assert.equal(again.statusCode, 404);
    assert.equal(again.json().error.code, "MS_NOT_FOUND");
    const back = await ask(env, "+15550100005", "k-6");
    assert.equal((await replies(env, back)).at(-1)!.author, "agent");

    const audit = (await env.inject({ url: "/api/v1/audit?target=support", headers: auth })).json();
    const actions = audit.data.map((e: { action: string }) => e.action);
    assert.ok(actions.includes("agent.kill") && actions.includes("agent.unkill"), actions.join());
  });

  it("rejects bad requests with a clear error", async () => {
    const bad = await env.inject({
      method: "POST",
      url: "/api/v1/agents/support/kill",
      headers: auth,
      payload: { fallback: { type: "version", version: "v_000000000000" }, reason: "x" },
    });
    assert.equal(bad.statusCode, 404);
    const noReason = await env.inject({
      method: "POST",
      url: "/api/v1/agents/support/kill",
      headers: auth,
      payload: {},
    });
    assert.equal(noReason.statusCode, 400);
    assert.equal(noReason.json().error.code, "MS_BAD_REQUEST");
  });
});

describe("kill switch and the outbox", () => {
  let env: DocApp;
  let callback: Awaited<ReturnType<typeof startCallbackServer>>;
  let down = true;
  before(async () => {
    callback = await startCallbackServer((_req, res) => {
      res.statusCode = down ? 503 : 200;
      res.end();
    });
    env = await startDocumentAgentApp({
      callbackUrl: callback.url,
      outbox: "{ maxAttempts: 5, baseDelayMs: 400, maxDelayMs: 400, pollIntervalMs: 20 }",
    });
  });
  after(async () => {
    await env?.dispose();
    await callback?.close();
  });

  it("does not deliver a reply the agent queued before it was killed", async () => {
    const res = await env.inject(
      signedWebhook({ id: "q-1", from: "+15550300001", text: "Shipping?" }),
    );
    const { conversationId } = res.json();
    // The first delivery attempt failed: the agent's reply waits in the outbox for a retry.
    await eventually(
      async () => (callback.received.length > 0 ? true : undefined),
      "a first attempt",
    );
    await env.inject({
      method: "POST",
      url: "/api/v1/agents/support/kill",
      headers: auth,
      payload: { reason: "stop now", fallback: { type: "canned", text: "Back soon." } },
    });
    down = false;
    const refused = await eventually(async () => {
      const reply = (await replies(env, conversationId))[0];
      return reply?.status === "failed" ? reply : undefined;
    }, "the queued reply to be refused");
    assert.match(refused.error ?? "", /^MS_AGENT_KILLED/);
    assert.equal(callback.received.length, 1, "never sent after the kill");
  });
});

const postgres = backends.find((b) => b.name === "postgres");

describe("kill switch across instances", {
  skip: !postgres && "MAINSTAY_TEST_DATABASE_URL not set",
}, () => {
  let cleanup: () => Promise<void>;
  const apps: DocApp[] = [];
  before(async () => {
    const created = await postgres!.create();
    cleanup = created.cleanup;
    for (let i = 0; i < 2; i++) apps.push(await startDocumentAgentApp({ store: created.options }));
  });
  after(async () => {
    for (const app of apps) await app.dispose();
    await cleanup?.();
  });

  it("stops replies on the other instance within one second", async () => {
    const [a, b] = apps as [DocApp, DocApp];
    const killedAt = Date.now();
    const res = await a.inject({
      method: "POST",
      url: "/api/v1/agents/support/kill",
      headers: auth,
      payload: { reason: "incident", fallback: { type: "canned", text: "Paused." } },
    });
    assert.equal(res.statusCode, 200);
    await eventually(
      async () => (b.app.control.killOf("support") ? true : undefined),
      "instance B to see the kill",
      1000,
    );
    const seenAfter = Date.now() - killedAt;
    assert.ok(seenAfter < 1000, `seen after ${seenAfter} ms`);
    const conversationId = await ask(b, "+15550200001", "x-1");
    assert.equal((await replies(b, conversationId)).at(-1)!.text, "Paused.");
  });
});
