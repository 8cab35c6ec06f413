import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { auth, startTestApp, type TestApp } from "../support/test-app.ts";

describe("GET /api/v1/agents/:id/versions/:version/evaluations", () => {
  let app: TestApp;
  const T0 = Date.UTC(2026, 2, 1);
  before(async () => {
    app = await startTestApp();
    const run = {
      agentId: "support",
      agentVersion: "1",
      baselineVersion: null,
      summary: {},
      cases: [],
    };
    await app.store.evalRuns.insert({
      ...run,
      id: "eval_a",
      kind: "eval",
      name: "basics",
      passed: true,
      startedAt: T0,
      finishedAt: T0 + 10,
    });
    await app.store.evalRuns.insert({
      ...run,
      id: "eval_b",
      kind: "redteam",
      name: "redteam (webchat)",
      passed: false,
      startedAt: T0 + 20,
      finishedAt: T0 + 30,
    });
  });
  after(() => app.dispose());

  it("answers the latest eval verdict and the runs, newest first, behind the admin key", async () => {
    const url = "/api/v1/agents/support/versions/1/evaluations";
    const res = await app.app.inject({ method: "GET", url, headers: auth });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(body.latestEval, {
      passed: true,
      runId: "eval_a",
      finishedAt: new Date(T0 + 10).toISOString(),
    });
    assert.deepEqual(
      body.data.map((r: { id: string }) => r.id),
      ["eval_b", "eval_a"],
    );
    const onlyRedteam = await app.app.inject({
      method: "GET",
      url: `${url}?kind=redteam`,
      headers: auth,
    });
    assert.deepEqual(
      onlyRedteam.json().data.map((r: { id: string }) => r.id),
      ["eval_b"],
    );
    assert.equal((await app.app.inject({ method: "GET", url })).statusCode, 401);
    const bad = await app.app.inject({ method: "GET", url: `${url}?kind=other`, headers: auth });
    assert.equal(bad.json().error.code, "MS_BAD_REQUEST");
  });
});
