import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { complianceConfigSchema, deliveryGate } from "../../src/compliance/index.ts";
import { type ConversationService, DELIVER_JOB } from "../../src/conversations/index.ts";
import { DeferJobError, type Job } from "../../src/jobs/index.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import type { Store } from "../../src/store/index.ts";
import { openTestService } from "../support/test-service.ts";

describe("delivery gate: channel rules at send time", () => {
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 12));
  let testService: Awaited<ReturnType<typeof openTestService>>;
  let store: Store;
  let service: ConversationService;
  const sent: string[] = [];
  let gate: ReturnType<typeof deliveryGate>;

  before(async () => {
    testService = await openTestService(clock);
    ({ store, service } = testService);
    const config = complianceConfigSchema.parse({
      smsMaxSegments: 2,
      quietHours: { start: "21:00", end: "08:00", defaultTimeZone: "Europe/Paris" },
    });
    gate = deliveryGate(
      { run: async (job) => void sent.push(String(job.payload["messageId"])) },
      {
        service,
        config,
        clock,
      },
    );
  });
  after(() => testService?.close());

  /** A customer message on a channel of this type, then our reply, as a deliver job. */
  async function reply(
    channelType: string,
    text: string,
    meta: Record<string, unknown> = {},
    from = "+12125550123",
  ) {
    const { conversationId } = await service.receive(
      { id: channelType, type: channelType },
      {
        providerMessageId: `${channelType}-${sent.length}-${text.length}`,
        from,
        text: "hi",
      },
    );
    const conversation = (await store.conversations.get(conversationId))!;
    const message = await store.transaction((tx) =>
      service.queueOutbound(tx, conversation, { text, author: "agent", meta }),
    );
    const job = { kind: DELIVER_JOB, payload: { messageId: message.id } } as unknown as Job;
    if (meta["proactive"]) {
      // Not an answer to the customer: drop the inReplyTo that queueOutbound callers set.
      await store.db.run("UPDATE messages SET meta = '{}' WHERE id = ?", [message.id]);
    }
    return { message, run: () => gate.run(job) };
  }

  const statusOf = async (id: string) => (await store.messages.get(id))!;

  it("refuses free text on WhatsApp more than 24 hours after the customer's last message", async () => {
    const inside = await reply("whatsapp", "Your order shipped.");
    await inside.run();
    assert.ok(sent.includes(inside.message.id));

    const late = await reply("whatsapp", "Still there?");
    clock.advance(25 * 3_600_000);
    await late.run();
    const refused = await statusOf(late.message.id);
    assert.equal(refused.status, "failed");
    assert.match(refused.error ?? "", /^MS_WHATSAPP_WINDOW_CLOSED/);
    assert.ok(!sent.includes(late.message.id));

    const template = await reply("whatsapp", "", {
      template: { name: "order_update", language: "en" },
    });
    clock.advance(25 * 3_600_000);
    await template.run();
    assert.ok(sent.includes(template.message.id), "templates may go out after the window");
  });

  it("refuses SMS over the segment budget, counting UCS-2 when needed", async () => {
    const short = await reply("twilio", "a".repeat(306)); // 2 GSM-7 segments
    await short.run();
    assert.ok(sent.includes(short.message.id));
    const unicode = await reply("twilio", "é🙂".repeat(50)); // UCS-2: 150 units = 3 segments
    await unicode.run();
    const refused = await statusOf(unicode.message.id);
    assert.match(refused.error ?? "", /^MS_SMS_TOO_LONG: 3 UCS-2 segments/);
  });

  it("holds proactive messages during the contact's quiet hours, until they end", async () => {
    // 23:30 in New York (a +1 212 number): quiet until 08:00 local, 8.5 hours later.
    clock.set(Date.UTC(2026, 5, 2, 3, 30));
    const held = await reply("twilio", "Your repair is ready.", { proactive: true });
    await assert.rejects(held.run(), (e: unknown) => {
      assert.ok(e instanceof DeferJobError);
      assert.equal(e.runAt, Date.UTC(2026, 5, 2, 12, 0));
      return true;
    });
    assert.ok(!sent.includes(held.message.id));
    clock.set(Date.UTC(2026, 5, 2, 12, 0));
    await held.run();
    assert.ok(sent.includes(held.message.id), "sent once the window opens");
  });

  it("reads a time zone from phone addresses only, not from a chat id that looks like one", async () => {
    // 22:00 UTC: 18:00 in New York, 00:00 in Paris (the default zone, quiet).
    clock.set(Date.UTC(2026, 5, 2, 22, 0));
    const sms = await reply("twilio", "Your order shipped.", { proactive: true }, "12125550123");
    await sms.run();
    assert.ok(sent.includes(sms.message.id), "a +1 212 number is in New York, not quiet");
    const chat = await reply("telegram", "Your order shipped.", { proactive: true }, "12125550123");
    await assert.rejects(chat.run(), (e: unknown) => e instanceof DeferJobError);
    const generic = await reply(
      "generic",
      "Your order shipped.",
      { proactive: true },
      "12125550123",
    );
    await assert.rejects(generic.run(), (e: unknown) => e instanceof DeferJobError);
    const plus = await reply(
      "generic",
      "Your order has shipped.",
      { proactive: true },
      "+12125550124",
    );
    await plus.run();
    assert.ok(sent.includes(plus.message.id), "a generic address with + is read as a phone");
  });

  it("lets replies in a live conversation through quiet hours by default", async () => {
    clock.set(Date.UTC(2026, 5, 2, 3, 30));
    const answer = await reply("twilio", "We open at 9.", { inReplyTo: "msg_x" });
    await answer.run();
    assert.ok(sent.includes(answer.message.id));
  });
});
