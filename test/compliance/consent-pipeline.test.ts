import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  auth,
  queueDrained,
  signedWebhook,
  startTestApp,
  type TestApp,
} from "../support/test-app.ts";

type MessageView = {
  direction: string;
  author: string;
  text: string;
  status: string;
  error: string | null;
};

describe("consent is enforced at the gateway", () => {
  let app: TestApp;
  let n = 0;
  const from = "+15550777";
  before(async () => {
    app = await startTestApp();
  });
  after(() => app?.dispose());

  const send = async (text: string) => {
    const res = await app.app.inject(signedWebhook({ id: `c-${++n}`, from, text }));
    assert.equal(res.statusCode, 202);
    return res.json() as { conversationId: string; messageId: string };
  };
  const messages = async (conversationId: string) =>
    (
      await app.app.inject({
        url: `/api/v1/conversations/${conversationId}/messages`,
        headers: auth,
      })
    ).json().data as MessageView[];
  const events = async (conversationId: string) =>
    (await app.app.inject({ url: `/api/v1/conversations/${conversationId}`, headers: auth })).json()
      .events as { type: string; data: Record<string, unknown> }[];
  /** Wait until no job is pending, so "no answer" is a fact, not a race. */
  const settled = () => queueDrained(app.store);

  it("answers HELP with the help text, not the agent", async () => {
    const { conversationId } = await send("HELP");
    await settled();
    const [, answer] = await messages(conversationId);
    assert.equal(answer?.author, "system");
    assert.match(answer!.text, /Reply STOP/);
  });

  it("records STOP with evidence and answers nothing afterwards", async () => {
    const { conversationId, messageId } = await send("please stop texting me");
    await settled();
    const optOut = (await events(conversationId)).find((e) => e.type === "consent.opted_out");
    assert.ok(optOut);
    assert.equal(optOut.data["messageId"], messageId);
    assert.equal(optOut.data["detected"], "consent.opt_out");
    const before = (await messages(conversationId)).length;
    await send("How long does shipping take?");
    await settled();
    const after = await messages(conversationId);
    assert.equal(after.length, before + 1, "the question is stored");
    assert.equal(after.at(-1)!.direction, "inbound", "and not answered");
  });

  it("resumes after START, with a confirmation", async () => {
    const { conversationId } = await send("START");
    await settled();
    assert.match((await messages(conversationId)).at(-1)!.text, /subscribed again/);
    await send("How long does shipping take?");
    await settled();
    assert.match((await messages(conversationId)).at(-1)!.text, /business days/);
  });

  it("stops a reply that was queued before the opt-out", async () => {
    await app.worker.stop();
    const { conversationId } = await send("Do you repair cracked screens?");
    await app.worker.runOnce(); // the agent answers; the reply waits for delivery
    const queued = (await messages(conversationId)).at(-1)!;
    assert.equal(queued.status, "queued");
    const conversation = await app.store.conversations.get(conversationId);
    await app.store.consent.record(
      {
        contactId: conversation!.contactId,
        identityId: conversation!.identityId,
        purpose: "service",
        scope: "address",
        channelId: "api",
        address: from,
        state: "opted_out",
        evidence: {},
      },
      Date.now(),
    );
    await app.worker.runOnce();
    const refused = (await messages(conversationId)).at(-1)!;
    assert.equal(refused.status, "failed");
    assert.match(refused.error ?? "", /^MS_OPTED_OUT/);
    assert.ok((await events(conversationId)).some((e) => e.type === "message.refused"));
  });
});
