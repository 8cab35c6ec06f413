import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { llmDocument, startDocumentAgentApp } from "../support/document-agent.ts";
import { startFakeOpenAI } from "../support/fake-llm-servers.ts";
import { auth, queueDrained, signedWebhook, type TestApp } from "../support/test-app.ts";

describe("a canary that leaks card numbers rolls back by itself", () => {
  let env: Awaited<ReturnType<typeof startDocumentAgentApp>>;
  let app: TestApp;
  let llm: Awaited<ReturnType<typeof startFakeOpenAI>>;
  let answered = 0;

  before(async () => {
    llm = await startFakeOpenAI(() => {
      answered++;
      return answered % 2 === 0
        ? { text: "Sure, I see the card 4111 1111 1111 1111 on your account." }
        : { text: "Your order ships within two business days." };
    });
    env = await startDocumentAgentApp();
    app = env.app;
  });

  after(async () => {
    await env?.dispose();
    await llm?.close();
  });

  it("assigns stickily, detects the harm, rolls back and answers with the baseline afterwards", async () => {
    const inject = app.app.inject.bind(app.app);
    const baseline = await env.activeVersion();
    const candidate = await env.push(llmDocument(llm.url, "leaky-1"));

    const started = await inject({
      method: "POST",
      url: "/api/v1/rollouts",
      headers: auth,
      payload: {
        agent: "support",
        candidate,
        steps: [{ canary: "50%", minConversations: 500 }],
        gates: [{ metric: "violation", margin: 0.02 }],
      },
    });
    assert.equal(started.statusCode, 201, started.body);
    const rollout = started.json();
    assert.equal(rollout.baseline, baseline);
    assert.equal(rollout.state, "running");
    assert.equal(rollout.share, 0.5);

    // Simulated customers, one message each, until the rollout decides.
    const conversations = new Map<string, string>();
    let status = rollout;
    for (let i = 0; i < 200 && status.state === "running"; i++) {
      const from = `+1555010${String(i).padStart(4, "0")}`;
      const res = await inject(signedWebhook({ id: `m-${i}`, from, text: "Where is my order?" }));
      assert.equal(res.statusCode, 202, res.body);
      conversations.set(from, res.json().conversationId);
      await queueDrained(app.store);
      status = (await inject({ url: `/api/v1/rollouts/${rollout.id}`, headers: auth })).json();
    }
    assert.equal(status.state, "rolled_back", JSON.stringify(status.current ?? status.decisions));
    const decision = status.decisions.at(-1);
    assert.equal(decision.action, "rollback");
    assert.equal(decision.actor, "mainstay");
    const gate = decision.evidence.gates[0];
    assert.equal(gate.metric, "violation");
    assert.equal(gate.verdict, "harm");
    assert.ok(gate.harm.logE >= gate.harm.threshold);
    assert.equal(gate.baseline.bad, 0, "the built-in agent never leaks a card");
    assert.ok(gate.candidate.bad > 0);
    assert.ok(decision.evidence.movedConversations > 0, JSON.stringify(decision.evidence));
    // How the evidence grew, for the console's charts: one point per conversation event.
    const path = status.paths.violation as { conversations: number; logE: number }[];
    assert.ok(path.length > 2);
    assert.ok(path.every((p, i) => i === 0 || p.conversations >= path[i - 1]!.conversations));
    assert.ok(path.at(-1)!.logE >= gate.harm.threshold);

    // Sticky: every conversation kept its version until the rollback, and both arms served.
    const served = new Map<string, string>();
    for (const [from, id] of conversations) {
      const thread = (
        await inject({ url: `/api/v1/conversations/${id}/messages`, headers: auth })
      ).json();
      const replies = thread.data.filter((m: { direction: string }) => m.direction === "outbound");
      assert.equal(replies.length, 1, from);
      served.set(from, replies[0].agent.version);
    }
    assert.ok([...served.values()].includes(candidate));
    assert.ok([...served.values()].includes(baseline));

    // Customers of rolled-back candidate conversations are answered by the baseline now,
    // and new customers start on the baseline.
    const onCandidate = [...served].filter(([, v]) => v === candidate).map(([from]) => from);
    for (const from of onCandidate.slice(0, 3)) {
      await inject(signedWebhook({ id: `again-${from}`, from, text: "And the return policy?" }));
    }
    const fresh = await inject(signedWebhook({ id: "new-1", from: "+15559990000", text: "Hi" }));
    conversations.set("+15559990000", fresh.json().conversationId);
    await queueDrained(app.store);
    for (const from of [...onCandidate.slice(0, 3), "+15559990000"]) {
      const conversationId = conversations.get(from);
      const thread = (
        await inject({ url: `/api/v1/conversations/${conversationId}/messages`, headers: auth })
      ).json();
      const last = thread.data
        .filter((m: { direction: string }) => m.direction === "outbound")
        .at(-1);
      assert.equal(last.agent.version, baseline, from);
    }

    // An incident is open for it, and what is done next lands on its timeline.
    const incidents = (await inject({ url: "/api/v1/incidents", headers: auth })).json();
    const incident = incidents.data.find((i: { source: string }) => i.source === "rollout");
    assert.ok(incident, JSON.stringify(incidents));
    assert.match(incident.title, /rolled back/);
    await inject({
      method: "POST",
      url: "/api/v1/agents/support/kill",
      headers: auth,
      payload: { reason: "investigating the leak" },
    });
    const detail = (
      await inject({ url: `/api/v1/incidents/${incident.id}`, headers: auth })
    ).json();
    const timeline = (detail.events ?? detail.timeline).map((e: { type: string }) => e.type);
    assert.deepEqual(
      timeline.slice(-2),
      ["rollout.rollback", "agent.kill"],
      JSON.stringify(detail),
    );

    // The rollback is in the audit log, chained.
    const audit = (
      await inject({ url: "/api/v1/audit?action=rollout.rollback", headers: auth })
    ).json();
    assert.equal(audit.data.length, 1);
    const verified = (await inject({ url: "/api/v1/audit/verify", headers: auth })).json();
    assert.equal(verified.ok, true);
  });
});
