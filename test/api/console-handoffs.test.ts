import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ManualClock } from "../../src/shared/clock.ts";
import {
  auth,
  queueDrained,
  signedWebhook,
  startTestApp,
  type TestApp,
} from "../support/test-app.ts";

interface QueueEntry {
  id: string;
  state: string;
  handedOffAt: string;
  reason: string;
  summary: string;
  takenBy: string | null;
  contact: { id: string; displayName: string | null } | null;
}

describe("handoff queue and taking a conversation", () => {
  const clock = new ManualClock();
  let app: TestApp;
  let n = 0;
  before(async () => {
    app = await startTestApp({ clock });
  });
  after(() => app?.dispose());

  const say = async (from: string, text: string) => {
    const res = await app.app.inject(signedWebhook({ id: `q-${++n}`, from, text }));
    assert.equal(res.statusCode, 202, res.body);
    await queueDrained(app.store);
    return res.json().conversationId as string;
  };
  const queue = async () => {
    const res = await app.app.inject({ url: "/api/v1/handoffs", headers: auth });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().data as QueueEntry[];
  };
  const take = (id: string, payload: Record<string, unknown> = {}) =>
    app.app.inject({
      method: "POST",
      url: `/api/v1/conversations/${id}/take`,
      headers: auth,
      payload,
    });

  it("lists conversations waiting for a person, oldest handoff first, with reason and summary", async () => {
    const later = await say("+15559001", "Hello there");
    const first = await say("+15559002", "Let me talk to a human please");
    clock.advance(60_000);
    // The older conversation is handed off after the newer one: handoff time orders.
    const second = await say("+15559001", "Actually, I want to speak to a real person");
    assert.equal(second, later);

    const entries = await queue();
    assert.deepEqual(
      entries.map((e) => e.id),
      [first, later],
    );
    assert.equal(entries[0]!.reason, "customer_request");
    assert.equal(entries[0]!.summary, "Let me talk to a human please");
    assert.equal(entries[0]!.state, "human");
    assert.equal(entries[0]!.takenBy, null);
    assert.ok(entries[0]!.contact?.id);
    assert.ok(entries[0]!.handedOffAt < entries[1]!.handedOffAt);
  });

  it("records who took a waiting conversation", async () => {
    const [entry] = await queue();
    const res = await take(entry!.id, { agentName: "Sam" });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { id: entry!.id, state: "human", takenBy: "Sam" });
    const again = await queue();
    assert.equal(again.find((e) => e.id === entry!.id)?.takenBy, "Sam");
  });

  it("takes a conversation from the bot, named after the key when no name is given", async () => {
    const id = await say("+15559003", "What are your opening hours?");
    const res = await take(id);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().takenBy, "admin");
    const detail = (
      await app.app.inject({ url: `/api/v1/conversations/${id}`, headers: auth })
    ).json() as { state: string; events: { type: string; data: Record<string, unknown> }[] };
    assert.equal(detail.state, "human");
    const types = detail.events.map((e) => e.type);
    assert.deepEqual(types.slice(-2), ["conversation.handoff", "conversation.taken"]);
    assert.equal(detail.events.at(-2)!.data["reason"], "human_took_over");
    const entry = (await queue()).find((e) => e.id === id);
    assert.equal(entry?.reason, "human_took_over");
    assert.equal(entry?.takenBy, "admin");
  });

  it("answers 404 for an unknown conversation and refuses unknown fields", async () => {
    assert.equal((await take("conv_nope")).statusCode, 404);
    const [entry] = await queue();
    const res = await take(entry!.id, { agent: "x" });
    assert.equal(res.statusCode, 400);
  });
});
