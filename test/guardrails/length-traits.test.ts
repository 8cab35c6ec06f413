import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createGuard, policySchema } from "../../src/guardrails/index.ts";
import type { ChannelTraits, ChannelTraitsOf } from "../../src/shared/channel-traits.ts";

const plain: ChannelTraits = {
  addresses: "any",
  confirmsOptOut: false,
  receipts: false,
  idempotentSends: false,
  retriesRefused: false,
};
/** Channel types nobody would guess from their names. */
const traits: Record<string, ChannelTraits> = {
  "carrier-x": { ...plain, sms: { maxSegments: 2 }, confirmsOptOut: true },
  "chat-y": { ...plain, maxChars: 100 },
  "both-z": { ...plain, sms: { maxSegments: 1 }, maxChars: 200 },
  "free-w": plain,
};
const channelTraits: ChannelTraitsOf = (type) => traits[type];

type Limits = Record<string, { maxSegments?: number; maxChars?: number }>;

function guardWith(channels?: Limits, lookup = true) {
  const policy = policySchema.parse({
    rules: [
      { id: "l", detector: "length", action: "tag", ...(channels && { options: { channels } }) },
    ],
  });
  return createGuard(policy, lookup ? { channelTraits } : {});
}

const lengthFindings = (guard: ReturnType<typeof guardWith>, channel: string, text: string) =>
  guard
    .check({ direction: "outbound", channel, text })
    .findings.map((f) => f.evidence)
    .filter((e) => e !== undefined);

describe("length limits by channel traits", () => {
  const guard = guardWith();

  test("a channel whose traits say SMS gets its segment budget, whatever its name", () => {
    assert.deepEqual(lengthFindings(guard, "carrier-x", "a".repeat(306)), []);
    const [over] = lengthFindings(guard, "carrier-x", "a".repeat(307));
    assert.equal(over?.["maxSegments"], 2);
    assert.equal(over?.["segments"], 3);
    // The names the detector used to know mean nothing without traits.
    assert.deepEqual(lengthFindings(guard, "twilio", "a".repeat(2000)), []);
    assert.deepEqual(lengthFindings(guard, "sms", "a".repeat(2000)), []);
  });

  test("a channel with a length cap gets that cap, in code points", () => {
    assert.deepEqual(lengthFindings(guard, "chat-y", "😀".repeat(100)), []);
    assert.deepEqual(lengthFindings(guard, "chat-y", "a".repeat(101)), [
      { chars: 101, maxChars: 100 },
    ]);
  });

  test("both traits apply together; a channel with neither is not checked", () => {
    assert.equal(lengthFindings(guard, "both-z", "a".repeat(161)).length, 1);
    assert.equal(lengthFindings(guard, "both-z", "a".repeat(201)).length, 2);
    assert.deepEqual(lengthFindings(guard, "free-w", "a".repeat(10_000)), []);
  });

  test("channels: by name replaces what the traits say, for that channel only", () => {
    const explicit = guardWith({
      "carrier-x": { maxChars: 10 },
      "chat-y": {},
      sms: { maxSegments: 1 },
    });
    assert.deepEqual(lengthFindings(explicit, "carrier-x", "a".repeat(11)), [
      { chars: 11, maxChars: 10 },
    ]);
    assert.deepEqual(lengthFindings(explicit, "chat-y", "a".repeat(1000)), [], "{} turns it off");
    assert.equal(lengthFindings(explicit, "both-z", "a".repeat(161)).length, 1, "traits still");
    assert.equal(lengthFindings(explicit, "sms", "a".repeat(161)).length, 1, "no traits needed");
  });

  test("without a traits lookup only the explicit limits apply", () => {
    const bare = guardWith(undefined, false);
    assert.deepEqual(lengthFindings(bare, "carrier-x", "a".repeat(2000)), []);
  });
});
