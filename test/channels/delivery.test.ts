import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pino from "pino";
import { type Channel, ChannelSendError, deliveryHandler } from "../../src/channels/index.ts";
import { type ConversationService, DELIVER_JOB } from "../../src/conversations/index.ts";
import {
  DeferJobError,
  type Job,
  PermanentJobError,
  RetryLaterError,
} from "../../src/jobs/index.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import type { Store } from "../../src/store/index.ts";
import { openTestService } from "../support/test-service.ts";

describe("delivery handler", () => {
  const clock = new ManualClock();
  let testService: Awaited<ReturnType<typeof openTestService>>;
  let store: Store;
  let service: ConversationService;
  let failure: ChannelSendError | undefined;
  const sent: string[] = [];
  const channel: Channel = {
    id: "sms",
    type: "twilio",
    async send(message) {
      if (failure) throw failure;
      sent.push(message.id);
      return { providerMessageId: `SM-${message.id}` };
    },
  };
  let handler: ReturnType<typeof deliveryHandler>;

  before(async () => {
    testService = await openTestService(clock);
    ({ store, service } = testService);
    handler = deliveryHandler({
      service,
      channels: new Map([["sms", channel]]),
      clock,
      logger: pino({ level: "silent" }),
    });
  });
  after(() => testService?.close());

  let n = 0;
  async function queued() {
    const { conversationId } = await service.receive(
      { id: "sms", type: "twilio" },
      { providerMessageId: `in-${++n}`, from: `+1415555${1000 + n}`, text: "hi" },
    );
    const conversation = (await store.conversations.get(conversationId))!;
    const message = await store.transaction((tx) =>
      service.queueOutbound(tx, conversation, { text: "hello", author: "agent" }),
    );
    const job = {
      kind: DELIVER_JOB,
      payload: { messageId: message.id },
      attempts: 1,
    } as unknown as Job;
    return { message, job };
  }

  it("marks a sent message with the vendor's id", async () => {
    const { message, job } = await queued();
    await handler.run(job);
    const stored = await store.messages.get(message.id);
    assert.equal(stored?.status, "sent");
    assert.equal(stored?.providerMessageId, `SM-${message.id}`);
    // A re-run after a crash (a new claim of the same job) sends nothing twice.
    await handler.run({ ...job, attempts: 2 });
    assert.equal(sent.filter((id) => id === message.id).length, 1);
  });

  it("holds the whole channel after a 429, until Retry-After passes", async () => {
    const first = await queued();
    const second = await queued();
    failure = new ChannelSendError("HTTP 429", true, { retryAfterMs: 5000 });
    await assert.rejects(handler.run(first.job), RetryLaterError);
    failure = undefined;
    await assert.rejects(handler.run(second.job), (e: unknown) => {
      assert.ok(e instanceof DeferJobError);
      assert.equal(e.runAt, clock.now() + 5000);
      return true;
    });
    assert.ok(!sent.includes(second.message.id));
    clock.advance(5000);
    await handler.run(second.job);
    assert.ok(sent.includes(second.message.id));
  });

  it("defers a send while another instance's hold on the channel lasts", async () => {
    const { message, job } = await queued();
    // What an instance sharing this database writes when its send is answered 429.
    await store.channelHolds.hold("sms", clock.now() + 3000, "HTTP 429", clock.now());
    await assert.rejects(handler.run(job), (e: unknown) => {
      assert.ok(e instanceof DeferJobError);
      assert.equal(e.runAt, clock.now() + 3000);
      return true;
    });
    assert.ok(!sent.includes(message.id));
    clock.advance(3000);
    await handler.run(job);
    assert.ok(sent.includes(message.id));
  });

  it("dead-letters a permanent rejection with the vendor's code, and marks it failed", async () => {
    const { message, job } = await queued();
    failure = new ChannelSendError("HTTP 400", false, { vendorCode: "21211" });
    const error = await handler.run(job).catch((e) => e);
    failure = undefined;
    assert.ok(error instanceof PermanentJobError);
    assert.match(error.message, /vendor code 21211/);
    await handler.onDead?.(job, error.message);
    const stored = await store.messages.get(message.id);
    assert.equal(stored?.status, "failed");
    assert.match(stored?.error ?? "", /21211/);
  });
});
