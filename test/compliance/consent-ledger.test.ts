import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { addBusinessDays } from "../../src/store/index.ts";
import { runCliCaptured } from "../support/run-cli.ts";
import {
  ADMIN_KEY,
  auth,
  queueDrained,
  signedWebhook,
  startTestApp,
  type TestApp,
} from "../support/test-app.ts";

type MessageView = { id: string; text: string; status: string; error: string | null };

describe("consent ledger: purposes and scopes", () => {
  let app: TestApp;
  let n = 0;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app?.dispose());

  const inbound = async (from: string, text: string) => {
    const res = await app.app.inject(signedWebhook({ id: `l-${++n}`, from, text }));
    assert.equal(res.statusCode, 202);
    await queueDrained(app.store);
    return res.json() as { conversationId: string; messageId: string };
  };
  const api = (method: "GET" | "POST", url: string, payload?: object) =>
    app.app.inject({ method, url, headers: auth, ...(payload ? { payload } : {}) });
  const messages = async (conversationId: string) =>
    (await api("GET", `/api/v1/conversations/${conversationId}/messages`)).json()
      .data as MessageView[];

  /** One person on the SMS-like `api` channel and on web chat, merged into one contact. */
  async function person(phone: string) {
    const sms = await inbound(phone, "Hello");
    const smsConversation = (await app.store.conversations.get(sms.conversationId))!;
    const identity = await app.store.contacts.resolveIdentity("webchat", `s-${phone}`, null, 1);
    const web = await app.store.conversations.create(
      {
        contactId: identity.contactId,
        identityId: identity.id,
        channelId: "web",
        channelType: "webchat",
        agentId: "support",
        agentVersion: "1",
      },
      Date.now(),
    );
    const merged = await api("POST", `/api/v1/contacts/${smsConversation.contactId}/merge`, {
      contactId: identity.contactId,
    });
    assert.equal(merged.statusCode, 200);
    return { sms: sms.conversationId, web: web.id, contactId: smsConversation.contactId };
  }
  const send = async (conversationId: string, text: string, purpose?: string) => {
    const res = await api("POST", `/api/v1/conversations/${conversationId}/messages`, {
      text,
      ...(purpose ? { purpose } : {}),
    });
    assert.equal(res.statusCode, 202, res.body);
    return (res.json() as MessageView).id;
  };
  const status = async (conversationId: string, id: string) =>
    (await messages(conversationId)).find((m) => m.id === id)!;

  it("lets a STOP on SMS block marketing on every channel, and service only there", async () => {
    const p = await person("+15550601");
    await inbound("+15550601", "STOP");
    const offer = await status(p.web, await send(p.web, "20% off this week", "marketing"));
    await queueDrained(app.store);
    const refused = await status(p.web, offer.id);
    assert.equal(refused.status, "failed");
    assert.match(refused.error ?? "", /^MS_OPTED_OUT: .*marketing messages on every channel/);
    // A reply on web chat is service: the SMS opt-out covers SMS only.
    const answer = await send(p.web, "Your order shipped");
    await queueDrained(app.store);
    assert.notEqual((await status(p.web, answer)).status, "failed");

    const contact = (await api("GET", `/api/v1/contacts/${p.contactId}`)).json();
    const current = contact.consent.current.map((c: Record<string, unknown>) => [
      c["purpose"],
      c["scope"],
      c["state"],
    ]);
    assert.deepEqual(current, [
      ["service", "address", "opted_out"],
      ["marketing", "all", "opted_out"],
    ]);
    const evidence = contact.consent.history[0].evidence;
    assert.equal(evidence.rule, "keyword");
    assert.equal(evidence.keyword, "stop");
    assert.equal(evidence.channelType, "generic");
    assert.ok(evidence.messageId.startsWith("msg_"));
    assert.ok(!JSON.stringify(contact.consent).includes("STOP"), "no message text kept");
  });

  it('takes "stop sending me offers" as a marketing revocation only', async () => {
    const p = await person("+15550602");
    await inbound("+15550602", "please stop sending me offers");
    const offer = await send(p.web, "New arrivals", "marketing");
    await queueDrained(app.store);
    assert.equal((await status(p.web, offer)).status, "failed");
    // Service goes on, on SMS too: the customer is still answered.
    const before = (await messages(p.sms)).length;
    await inbound("+15550602", "How long does shipping take?");
    const after = await messages(p.sms);
    assert.equal(after.length, before + 2, "question and answer");
    const contact = (await api("GET", `/api/v1/contacts/${p.contactId}`)).json();
    assert.deepEqual(
      contact.consent.history.map((e: Record<string, unknown>) => [e["purpose"], e["scope"]]),
      [["marketing", "all"]],
    );
    assert.equal(contact.consent.history[0].evidence.phrase, "marketing_revocation");
  });

  it("reports revocations with messages still queued as pending, then honoured", async () => {
    const p = await person("+15550603");
    await inbound("+15550603", "STOP");
    await app.worker.stop();
    const offer = await send(p.web, "Flash sale", "marketing");
    const pending = async () =>
      (
        (await api("GET", "/api/v1/consent/revocations?pending=true")).json().data as {
          contactId: string;
          purpose: string;
          queued: string[];
          honoured: boolean;
          deadline: string;
          createdAt: string;
        }[]
      ).filter((r) => r.contactId === p.contactId);
    const [marketing] = (await pending()).filter((r) => r.purpose === "marketing");
    assert.deepEqual(marketing?.queued, [offer]);
    assert.equal(marketing?.honoured, false);
    assert.equal(
      Date.parse(marketing!.deadline),
      addBusinessDays(Date.parse(marketing!.createdAt), 10),
    );
    while ((await status(p.web, offer)).status === "queued") await app.worker.runOnce();
    assert.deepEqual(await pending(), []);

    const { code, out } = await runCliCaptured(["consent", "report", "--url", app.url], {
      MAINSTAY_ADMIN_KEY: ADMIN_KEY,
    });
    assert.equal(code, 0);
    assert.match(
      out,
      new RegExp(`\\tmarketing\\tall\\tapi\\t-\\t${p.contactId}\\t.*\\thonoured\\t0\\t0`),
    );
  });

  it("refuses a bad report query with a code", async () => {
    const res = await api("GET", "/api/v1/consent/revocations?pending=maybe");
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, "MS_BAD_REQUEST");
  });
});

describe("business days", () => {
  it("skips weekends", () => {
    const friday = Date.UTC(2026, 0, 2, 15);
    assert.equal(addBusinessDays(friday, 1), Date.UTC(2026, 0, 5, 15));
    assert.equal(addBusinessDays(friday, 10), Date.UTC(2026, 0, 16, 15));
    const saturday = Date.UTC(2026, 0, 3, 9);
    assert.equal(addBusinessDays(saturday, 5), Date.UTC(2026, 0, 9, 9));
  });
});
