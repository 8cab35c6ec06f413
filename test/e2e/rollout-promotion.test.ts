import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { llmDocument, startDocumentAgentApp } from "../support/document-agent.ts";
import { startFakeOpenAI } from "../support/fake-llm-servers.ts";
import { auth, queueDrained, signedWebhook } from "../support/test-app.ts";

describe("a good candidate earns its traffic: shadow, canary, then active", () => {
  let env: Awaited<ReturnType<typeof startDocumentAgentApp>>;
  let llm: Awaited<ReturnType<typeof startFakeOpenAI>>;

  before(async () => {
    llm = await startFakeOpenAI(() => ({ text: "Orders ship within two business days." }));
    env = await startDocumentAgentApp();
  });
  after(async () => {
    await env?.dispose();
    await llm?.close();
  });

  it("answers unsent in shadow, promotes on evidence, and completes", async () => {
    const baseline = await env.activeVersion();
    const candidate = await env.push(llmDocument(llm.url, "good-1"));
    const started = await env.inject({
      method: "POST",
      url: "/api/v1/rollouts",
      headers: auth,
      payload: {
        agent: "support",
        candidate,
        steps: [{ shadow: 5 }, { canary: 0.5, minConversations: 5 }],
        gates: [{ metric: "violation", margin: 0.3 }],
      },
    });
    assert.equal(started.statusCode, 201, started.body);
    const id = started.json().id as string;
    const status = async () =>
      (await env.inject({ url: `/api/v1/rollouts/${id}`, headers: auth })).json();

    let i = 0;
    const send = async () => {
      i++;
      const res = await env.inject(
        signedWebhook({
          id: `p-${i}`,
          from: `+1555060${String(i).padStart(4, "0")}`,
          text: "Shipping?",
        }),
      );
      assert.equal(res.statusCode, 202, res.body);
      await queueDrained(env.app.store);
      await env.app.rollouts.idle();
      return res.json().conversationId as string;
    };

    // Shadow: every reply the customer gets is the baseline's; the candidate's are kept.
    const first = await send();
    const sent = (
      await env.inject({ url: `/api/v1/conversations/${first}/messages`, headers: auth })
    ).json();
    const replies = sent.data.filter((m: { direction: string }) => m.direction === "outbound");
    assert.equal(replies.length, 1);
    assert.equal(replies[0].agent.version, baseline);
    const turns = await env.app.store.outcomes.turnsForConversation(first);
    const shadow = turns.find((t) => t.shadow);
    assert.equal(shadow?.agentVersion, candidate);
    assert.equal(shadow?.shadowText, "Orders ship within two business days.");
    assert.equal(shadow?.replyId, null);

    while ((await status()).step === 0 && i < 60) await send();
    const promoted = await status();
    assert.equal(promoted.step, 1, JSON.stringify(promoted.current));
    assert.equal(promoted.share, 0.5);
    assert.equal(promoted.decisions.at(-1).action, "promote");
    assert.equal(promoted.decisions.at(-1).evidence.gates[0].verdict, "not_worse");

    while ((await status()).state === "running" && i < 200) await send();
    const done = await status();
    assert.equal(done.state, "completed", JSON.stringify(done.current));
    assert.equal(done.decisions.at(-1).action, "complete");
    assert.equal(await env.activeVersion(), candidate);

    // New customers now start on the candidate.
    const after = await send();
    const conversation = (
      await env.inject({ url: `/api/v1/conversations/${after}`, headers: auth })
    ).json();
    assert.equal(conversation.agent.version, candidate);
  });

  it("refuses a second live rollout and bad documents with clear errors", async () => {
    const candidate = await env.push(llmDocument(llm.url, "other-1"));
    const start = (payload: unknown) =>
      env.inject({
        method: "POST",
        url: "/api/v1/rollouts",
        headers: auth,
        payload: payload as object,
      });
    const unevaluated = await start({
      agent: "support",
      candidate,
      steps: [{ canary: 0.1 }],
      requireEval: true,
    });
    assert.equal(unevaluated.statusCode, 409);
    assert.equal(unevaluated.json().error.code, "MS_EVAL_REQUIRED");
    const ok = await start({ agent: "support", candidate, steps: [{ canary: 0.1 }] });
    assert.equal(ok.statusCode, 201, ok.body);
    const again = await start({ agent: "support", candidate, steps: [{ canary: 0.1 }] });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, "MS_ROLLOUT_CONFLICT");
    const bad = await start({ agent: "support", candidate, steps: [{ canary: "150%" }] });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, "MS_ROLLOUT_INVALID");
    assert.match(bad.json().error.message, /steps\[0\]/);
    const missing = await start({
      agent: "support",
      candidate: "v_000000000000",
      steps: [{ canary: 0.1 }],
    });
    assert.equal(missing.statusCode, 404);

    // Abort: back on the baseline, recorded with who did it.
    const id = ok.json().id;
    const paused = await env.inject({
      method: "POST",
      url: `/api/v1/rollouts/${id}/pause`,
      headers: auth,
    });
    assert.equal(paused.json().state, "paused");
    const aborted = await env.inject({
      method: "POST",
      url: `/api/v1/rollouts/${id}/abort`,
      headers: auth,
    });
    assert.equal(aborted.json().state, "aborted");
    assert.equal(aborted.json().decisions.at(-1).actor, "admin");
    const resume = await env.inject({
      method: "POST",
      url: `/api/v1/rollouts/${id}/resume`,
      headers: auth,
    });
    assert.equal(resume.statusCode, 409);
    assert.equal(resume.json().error.code, "MS_ROLLOUT_STATE");
  });
});
