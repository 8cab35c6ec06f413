import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pino from "pino";
import { type ControlChange, ControlChanges } from "../../src/api/control-changes.ts";
import { BASELINE_DOCUMENT, startDocumentAgentApp } from "../support/document-agent.ts";
import { sseReader } from "../support/sse-reader.ts";
import { auth } from "../support/test-app.ts";

type DocApp = Awaited<ReturnType<typeof startDocumentAgentApp>>;

describe("control changes on the live stream", () => {
  let env: DocApp;
  let candidate: string;
  const controller = new AbortController();

  before(async () => {
    env = await startDocumentAgentApp();
    candidate = await env.push(BASELINE_DOCUMENT.replace("Answer", "Answer kindly"));
  });
  after(async () => {
    controller.abort();
    await env?.dispose();
  });

  const post = async (url: string, payload: object = {}) => {
    const res = await env.inject({ method: "POST", url, headers: auth, payload });
    assert.ok(res.statusCode < 300, res.body);
    return res.json();
  };

  it("tells which rollout, agent, incident and alert changed since the last read", async () => {
    // A long poll: this test reads by hand with check().
    const changes = new ControlChanges(env.app.store, {
      logger: pino({ level: "silent" }),
      pollMs: 3_600_000,
    });
    const heard: ControlChange[] = [];
    const unsubscribe = changes.subscribe((c) => heard.push(c));
    await changes.check(); // the first read sets the mark and tells nothing
    assert.deepEqual(heard, []);

    const rollout = await post("/api/v1/rollouts", {
      agent: "support",
      candidate,
      steps: [{ canary: "10%" }],
    });
    await post(`/api/v1/rollouts/${rollout.id}/abort`);
    await post("/api/v1/agents/support/kill", { reason: "control changes test" });
    const incident = await post("/api/v1/incidents", { title: "by hand" });
    await changes.check();
    assert.deepEqual(heard, [
      { topic: "rollout", action: "rollout.start", target: rollout.id },
      { topic: "rollout", action: "rollout.abort", target: rollout.id },
      { topic: "agent", action: "agent.kill", target: "support" },
      { topic: "incident", action: "incident.open", target: incident.id },
    ]);

    heard.length = 0;
    const now = Date.now();
    await env.app.store.alertStates.fire(
      {
        rule: "errors",
        labels: '{"version":"v_1"}',
        severity: "warning",
        value: 0.4,
        reference: null,
        sample: 10,
      },
      now,
    );
    await changes.check();
    assert.deepEqual(heard, [{ topic: "alert" }]);
    heard.length = 0;
    await changes.check();
    assert.deepEqual(heard, [], "nothing new, nothing told");
    unsubscribe();
    await post("/api/v1/agents/support/kill", { reason: "again" }).catch(() => undefined);
    await env.inject({ method: "DELETE", url: "/api/v1/agents/support/kill", headers: auth });
  });

  it("streams a rollout change as a `change` event, not on a conversation's stream", async () => {
    const all = await fetch(`${env.app.url}/api/v1/stream`, {
      headers: auth,
      signal: controller.signal,
    });
    // The headers arrive once the stream has read its mark: what follows is told.
    const stream = sseReader(all);
    const rollout = await post("/api/v1/rollouts", {
      agent: "support",
      candidate,
      steps: [{ canary: "10%" }],
    });
    await post(`/api/v1/rollouts/${rollout.id}/pause`);
    for (;;) {
      const event = await stream.next();
      if (event.event !== "change") continue;
      const change = event.data as ControlChange;
      if (change.action === "rollout.pause") {
        assert.deepEqual(change, { topic: "rollout", action: "rollout.pause", target: rollout.id });
        break;
      }
    }
    await stream.cancel();
    await post(`/api/v1/rollouts/${rollout.id}/abort`);
  });
});
