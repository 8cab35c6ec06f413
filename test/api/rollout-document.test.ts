import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { BASELINE_DOCUMENT, startDocumentAgentApp } from "../support/document-agent.ts";
import { auth } from "../support/test-app.ts";

type DocApp = Awaited<ReturnType<typeof startDocumentAgentApp>>;

describe("POST /api/v1/rollouts with the rollout file's text", () => {
  let env: DocApp;
  let candidate: string;

  before(async () => {
    env = await startDocumentAgentApp();
    candidate = await env.push(BASELINE_DOCUMENT.replace("Answer", "Answer kindly"));
  });
  after(async () => {
    await env?.dispose();
  });

  const start = (payload: object) =>
    env.inject({ method: "POST", url: "/api/v1/rollouts", headers: auth, payload });

  it("names each problem with its line and column in body.document", async () => {
    const res = await start({
      document: `agent: support\ncandidate: ${candidate}\nsteps:\n  - canary: 150%\n`,
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, "MS_ROLLOUT_INVALID");
    assert.match(res.json().error.message, /^body\.document:4:\d+: steps\[0\]/);

    const broken = await start({ document: "agent: [support\n" });
    assert.equal(broken.statusCode, 400);
    assert.match(broken.json().error.message, /^body\.document:\d+:\d+: /);

    const extra = await start({ document: "agent: support", more: 1 });
    assert.deepEqual([extra.statusCode, extra.json().error.code], [400, "MS_ROLLOUT_INVALID"]);
  });

  it("starts the rollout the document describes", async () => {
    const res = await start({
      document: `agent: support\ncandidate: ${candidate}\nsteps:\n  - canary: 5%\n`,
    });
    assert.equal(res.statusCode, 201, res.body);
    const status = res.json();
    assert.deepEqual(
      [status.agentId, status.candidate, status.state, status.spec.steps],
      ["support", candidate, "running", [{ canary: 0.05, minMinutes: 0 }]],
    );
  });
});
