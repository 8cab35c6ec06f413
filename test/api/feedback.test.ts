import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  auth,
  queueDrained,
  signedWebhook,
  startTestApp,
  type TestApp,
} from "../support/test-app.ts";

describe("feedback and outcome events", () => {
  let app: TestApp;
  let conversationId: string;
  before(async () => {
    app = await startTestApp();
    const res = await app.app.inject(
      signedWebhook({ id: "f-1", from: "+15550400001", text: "Shipping time?" }),
    );
    conversationId = res.json().conversationId;
    await queueDrained(app.store);
  });
  after(() => app?.dispose());

  const post = (url: string, payload: unknown) =>
    app.app.inject({ method: "POST", url, headers: auth, payload: payload as object });

  it("keeps a CSAT score on the conversation's outcome", async () => {
    const res = await post(`/api/v1/conversations/${conversationId}/feedback`, {
      csat: 2,
      comment: "slow",
    });
    assert.equal(res.statusCode, 201, res.body);
    const [outcome] = await app.store.outcomes.forConversation(conversationId);
    assert.equal(outcome?.csat, 2);
    assert.equal(outcome?.turns, 1);
    const events = await app.store.outcomes.eventsForConversation(conversationId);
    assert.deepEqual(
      events.map((e) => [e.type, e.value, e.data["comment"]]),
      [["csat", 2, "slow"]],
    );
    const metrics = await app.app.inject({ url: "/metrics" });
    assert.match(
      metrics.body,
      /^mainstay_csat_score_count\{agent="support",version="1",channel="api"\} 1$/m,
    );
  });

  it("stores the operator's own outcome events against the conversation's version", async () => {
    const res = await post("/api/v1/events", {
      type: "refund_requested",
      conversationId,
      value: 49.5,
    });
    assert.equal(res.statusCode, 201, res.body);
    const events = await app.store.outcomes.eventsForConversation(conversationId);
    const refund = events.find((e) => e.type === "refund_requested");
    assert.equal(refund?.agentId, "support");
    assert.equal(refund?.agentVersion, "1");
    assert.equal(refund?.source, "api:admin");
  });

  it("answers bad input with stable codes", async () => {
    const cases: [string, unknown, number, string][] = [
      [`/api/v1/conversations/${conversationId}/feedback`, { csat: 6 }, 400, "MS_BAD_REQUEST"],
      [`/api/v1/conversations/${conversationId}/feedback`, {}, 400, "MS_BAD_REQUEST"],
      ["/api/v1/conversations/conv_nope/feedback", { thumbs: "up" }, 404, "MS_NOT_FOUND"],
      ["/api/v1/events", { type: "csat", conversationId }, 400, "MS_BAD_REQUEST"],
      ["/api/v1/events", { type: "x", conversationId: "conv_nope" }, 404, "MS_NOT_FOUND"],
    ];
    for (const [url, body, status, code] of cases) {
      const res = await post(url, body);
      assert.equal(res.statusCode, status, `${url} ${JSON.stringify(body)}: ${res.body}`);
      assert.equal(res.json().error.code, code);
    }
  });
});
