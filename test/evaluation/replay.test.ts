import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  contactDirectory,
  conversationsBetween,
  formatDataset,
  parseDataset,
  type RecordedConversation,
  recordedConversation,
  runReplay,
  sampleOf,
} from "../../src/evaluation/index.ts";
import { backends, openBackendStore } from "../support/backends.ts";
import { type FakeLlmServer, startFakeOpenAI } from "../support/fake-llm-servers.ts";
import { llmTarget, settings } from "./eval-fixtures.ts";
import { supportModel } from "./fake-support-model.ts";
import { recordExampleTraffic } from "./record-conversation.ts";

const T0 = Date.UTC(2026, 2, 1);

describe("replay of recorded conversations", () => {
  let fake: FakeLlmServer;
  let opened: Awaited<ReturnType<typeof openBackendStore>>;
  let recorded: RecordedConversation[];

  before(async () => {
    fake = await startFakeOpenAI(supportModel);
    opened = await openBackendStore(backends[0]!, T0);
    await recordExampleTraffic(opened.store, T0);
    const window = { agentId: "support", from: T0, to: T0 + 60_000 };
    const conversations = await conversationsBetween(opened.store, window);
    recorded = await Promise.all(conversations.map((c) => recordedConversation(opened.store, c)));
  });
  after(async () => {
    await opened.close();
    await fake.close();
  });

  it("reads each answered customer message with what production sent, PII as stored", () => {
    assert.equal(recorded.length, 4);
    const card = recorded.find((c) => c.turns[0]!.customer.includes("return policy"))!;
    assert.equal(card.turns[0]!.customer, "my card is [CARD], what is your return policy?");
    assert.deepEqual(card.turns[0]!.findings, ["disclosure.missing"]);
    assert.deepEqual(card.agent, { id: "support", version: "1" });
    assert.equal(card.channel, "generic");
    const delivery = recorded.find((c) => c.turns[0]!.customer.includes("delivery"))!;
    assert.match(delivery.turns[0]!.reply, /business days/);
    assert.equal(delivery.turns[0]!.author, "agent");
    assert.equal(delivery.turns[0]!.latencyMs, 120);
    assert.equal(delivery.turns[0]!.cost, 0);
  });

  it("leaves out conversations outside the window or of another agent", async () => {
    const store = opened.store;
    const other = { agentId: "other", from: T0, to: T0 + 60_000 };
    assert.deepEqual(await conversationsBetween(store, other), []);
    const later = { agentId: "support", from: T0 + 1500, to: T0 + 3000 };
    assert.equal((await conversationsBetween(store, later)).length, 1);
  });

  it("samples deterministically: the same seed draws the same conversations", () => {
    const a = sampleOf(recorded, 2, "seed-1").map((c) => c.id);
    assert.deepEqual(
      sampleOf([...recorded].reverse(), 2, "seed-1").map((c) => c.id),
      a,
    );
    assert.equal(a.length, 2);
    // A larger window keeps what a smaller sample of it drew, ranked first.
    assert.deepEqual(
      sampleOf(recorded, 3, "seed-1")
        .slice(0, 2)
        .map((c) => c.id),
      a,
    );
  });

  it("exports and imports a dataset as JSON Lines", () => {
    const text = formatDataset(recorded);
    assert.equal(text.trim().split("\n").length, 4);
    assert.deepEqual(parseDataset(text, "set.jsonl"), recorded);
    assert.throws(() => parseDataset(`${text}{"id": 3}\n`, "set.jsonl"), /set\.jsonl:5: id: /);
  });

  it("compares a candidate with what the baseline answered, most changed first", async () => {
    const result = await runReplay(recorded, {
      candidate: llmTarget(fake.url, "bad-model", "v_bad000000000"),
      settings: settings(),
      contacts: contactDirectory(),
      concurrency: 2,
    });
    assert.equal(result.summary.conversations, 4);
    assert.equal(result.summary.turns, 5);
    const [most] = result.conversations;
    // The promise is escalated to a person: a handoff the recorded answer never had.
    assert.deepEqual(most!.handoff, { baseline: null, candidate: "guardrail:commitment-escalate" });
    assert.ok(most!.change >= result.conversations.at(-1)!.change);
    assert.equal(result.summary.handoffs.baseline, 0);
    assert.ok(result.summary.handoffs.candidate >= 1);
    assert.ok(result.summary.similarity < 0.5);
    assert.equal(result.summary.judgedWorse, null);
  });
});
