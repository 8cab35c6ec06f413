import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { auth, startTestApp, type TestApp } from "../support/test-app.ts";

describe("agents and alerts overviews", () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app?.dispose());

  it("lists the agent this server runs, with its kill state", async () => {
    await app.app.inject({
      method: "POST",
      url: "/api/v1/agents/support/kill",
      headers: auth,
      payload: { reason: "drill" },
    });
    const res = await app.app.inject({ url: "/api/v1/agents", headers: auth });
    assert.equal(res.statusCode, 200);
    const [agent] = res.json().data;
    assert.equal(agent.id, "support");
    assert.equal(agent.active, "1");
    assert.equal(agent.serving, true);
    assert.equal(agent.killed.reason, "drill");
    assert.equal(agent.rollout, null);
  });

  it("lists the alert rules in force and what fires", async () => {
    const res = await app.app.inject({ url: "/api/v1/alerts", headers: auth });
    assert.equal(res.statusCode, 200);
    const rules = res.json().data as { name: string; state: string }[];
    assert.ok(rules.length >= 8, JSON.stringify(rules.map((r) => r.name)));
    assert.ok(rules.every((r) => r.state === "ok"));
  });
});
