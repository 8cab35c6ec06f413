import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ManualClock } from "../../src/shared/clock.ts";
import { openTestService } from "../support/test-service.ts";

describe("threading by references", () => {
  const clock = new ManualClock();
  let ctx: Awaited<ReturnType<typeof openTestService>>;
  const email = { id: "mail", type: "email" };
  let conversationId: string;

  before(async () => {
    ctx = await openTestService(clock);
    const { service, store } = ctx;
    ({ conversationId } = await service.receive(email, {
      providerMessageId: "<q1@customer.example>",
      from: "ada@customer.example",
      text: "Where is my order?",
    }));
    const conversation = (await store.conversations.get(conversationId))!;
    const reply = await store.transaction((tx) =>
      service.queueOutbound(tx, conversation, { text: "It ships today.", author: "agent" }),
    );
    await store.messages.advanceStatus(reply.id, "sent", clock.now(), {
      providerMessageId: "<r1@shop.example>",
    });
  });
  after(() => ctx?.close());

  it("joins the customer's reply to the conversation it answers", async () => {
    const answer = await ctx.service.receive(email, {
      providerMessageId: "<q2@customer.example>",
      from: "ada@customer.example",
      text: "Thanks, and the tracking number?",
      references: ["<r1@shop.example>"],
    });
    assert.equal(answer.conversationId, conversationId);
  });

  it("gives someone copied on the thread a conversation of their own", async () => {
    const copied = await ctx.service.receive(email, {
      providerMessageId: "<c1@other.example>",
      from: "bob@other.example",
      text: "Please also send it to me",
      references: ["<r1@shop.example>"],
    });
    assert.notEqual(copied.conversationId, conversationId);
  });
});
