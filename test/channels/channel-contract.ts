import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pino from "pino";
import {
  type Channel,
  ChannelSendError,
  type OutboundMessage,
  type WebhookRequest,
} from "../../src/channels/index.ts";
import type { InboundMessage, StatusUpdate } from "../../src/conversations/index.ts";
import { ManualClock } from "../../src/shared/clock.ts";
import { MainstayError } from "../../src/shared/errors.ts";
import {
  type FakeVendor,
  startFakeVendor,
  type VendorRequest,
  type VendorResponse,
} from "../support/fake-vendor.ts";

/** What a channel folder provides to run the shared contract (STYLE.md habit 5). */
export interface ChannelFixture {
  /** Build the channel with its vendor base URL pointed at the fake vendor. */
  create(vendorUrl: string, deps: { clock: ManualClock }): Channel;
  /** A correctly signed inbound message exactly as the vendor sends it, and what it parses to. */
  inbound(clock: ManualClock): { request: WebhookRequest; expected: Partial<InboundMessage> };
  /** The same request with the body or signature altered after signing. */
  tampered(clock: ManualClock): WebhookRequest;
  /** A signed delivery receipt, and the update it parses to (channels with receipts). */
  status?(clock: ManualClock): { request: WebhookRequest; expected: StatusUpdate };
  /** The vendor's answer to a successful send, and the provider id it carries (if any). */
  sendOk: { response: VendorResponse; providerMessageId?: string };
  /** Check the request our send made: method, path, auth, body. */
  checkSendRequest(request: VendorRequest, message: OutboundMessage): void;
  /** The vendor's answer when it rejects a message for good, and the code it carries. */
  sendRejected: { response: VendorResponse; vendorCode: string };
  /** The address a reply goes to (what `inbound` parses as `from`). */
  to: string;
  /** False for protocols with no Retry-After (SMTP): that case is then skipped. */
  retryAfter?: false;
}

export function outboundMessage(
  to: string,
  overrides: Partial<OutboundMessage> = {},
): OutboundMessage {
  return {
    id: "msg_contract_1",
    conversationId: "conv_contract_1",
    to,
    text: "Your order ships tomorrow.",
    attachments: [],
    createdAt: Date.UTC(2026, 0, 1),
    meta: {},
    inReplyTo: null,
    inReplyToMeta: {},
    ...overrides,
  };
}

/** The behaviour every channel shares; each channel's test file calls this once. */
export function channelContract(name: string, fixture: ChannelFixture): void {
  describe(`channel contract: ${name}`, () => {
    let vendor: FakeVendor;
    let channel: Channel;
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    const signal = () => AbortSignal.timeout(5000);

    before(async () => {
      vendor = await startFakeVendor();
      channel = fixture.create(vendor.url, { clock });
    });
    after(() => vendor?.close());

    it("accepts a signed inbound message and parses it", async () => {
      const { request, expected } = fixture.inbound(clock);
      const result = await channel.handleWebhook!(request);
      assert.equal(result.messages.length, 1);
      assert.deepEqual(pick(result.messages[0]!, Object.keys(expected)), expected);
    });

    it("rejects a tampered request with a signature error", async () => {
      await assert.rejects(
        async () => channel.handleWebhook!(fixture.tampered(clock)),
        (e: unknown) =>
          e instanceof MainstayError && e.code.startsWith("MS_SIGNATURE") && e.status === 401,
      );
    });

    it("parses a delivery receipt", { skip: !fixture.status && "no receipts" }, async () => {
      const { request, expected } = fixture.status!(clock);
      const result = await channel.handleWebhook!(request);
      assert.deepEqual(result.statuses, [expected]);
      assert.equal(result.messages.length, 0);
    });

    it("sends a reply the way the vendor expects and returns its id", async () => {
      vendor.respond = () => fixture.sendOk.response;
      const message = outboundMessage(fixture.to);
      const before = vendor.requests.length;
      const result = await channel.send(message, signal());
      assert.equal(result.providerMessageId, fixture.sendOk.providerMessageId);
      const sent = vendor.requests.slice(before).at(-1);
      assert.ok(sent, "the vendor received a request");
      fixture.checkSendRequest(sent, message);
    });

    const noRetryAfter = fixture.retryAfter === false && "no Retry-After in this protocol";
    it("asks for a later retry on 429 and 503, honouring Retry-After", {
      skip: noRetryAfter,
    }, async () => {
      vendor.respond = () => ({ status: 429, body: {}, headers: { "retry-after": "7" } });
      const error = await channel.send(outboundMessage(fixture.to), signal()).catch((e) => e);
      assert.ok(error instanceof ChannelSendError);
      assert.equal(error.retryable, true);
      assert.equal(error.options.retryAfterMs, 7000);
      // An HTTP-date counts from the channel's clock, not the machine's.
      const date = new Date(clock.now() + 30_000).toUTCString();
      vendor.respond = () => ({ status: 503, body: {}, headers: { "retry-after": date } });
      const byDate = await channel.send(outboundMessage(fixture.to), signal()).catch((e) => e);
      assert.equal(byDate.options.retryAfterMs, 30_000);
    });

    it("retries on 5xx and on an unreachable vendor", async () => {
      vendor.respond = () => ({ status: 503, body: {} });
      const error = await channel.send(outboundMessage(fixture.to), signal()).catch((e) => e);
      assert.ok(error instanceof ChannelSendError && error.retryable);
      const down = fixture.create("http://127.0.0.1:9", { clock });
      const unreachable = await down.send(outboundMessage(fixture.to), signal()).catch((e) => e);
      assert.ok(unreachable instanceof ChannelSendError && unreachable.retryable);
    });

    it("gives up on a permanent rejection, keeping the vendor's error code", async () => {
      vendor.respond = () => fixture.sendRejected.response;
      const error = await channel.send(outboundMessage(fixture.to), signal()).catch((e) => e);
      assert.ok(error instanceof ChannelSendError);
      assert.equal(error.retryable, false);
      assert.equal(error.options.vendorCode, fixture.sendRejected.vendorCode);
    });
  });
}

function pick<T extends object>(value: T, keys: string[]): Partial<T> {
  return Object.fromEntries(
    keys.map((k) => [k, (value as Record<string, unknown>)[k]]),
  ) as Partial<T>;
}

export const silentLogger = pino({ level: "silent" });
