import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import fc from "fast-check";
import type { AgentContext } from "../../src/agents/agent.ts";
import {
  createBuiltinAgent,
  DEFAULT_GREETING_TEXT,
  DEFAULT_HANDOFF_TEXT,
  DEFAULT_THANKS_TEXT,
  DEFAULT_THRESHOLD,
  loadKnowledgeBase,
} from "../../src/agents/builtin/index.ts";

const knowledge = loadKnowledgeBase("examples/knowledge");
const agent = createBuiltinAgent({ id: "faq", version: "1", knowledge });

const ask = (text: string, a = agent) => a.respond(context(text));

function context(text: string): AgentContext {
  return { conversationId: "c1", contactId: "k1", channel: "webchat", history: [], text };
}

describe("loadKnowledgeBase", () => {
  it("parses the example knowledge base", () => {
    assert.equal(knowledge.entries.length, 32);
    assert.deepEqual([...new Set(knowledge.entries.map((e) => e.category))].sort(), [
      "Devices & repairs",
      "Orders & shipping",
      "Plans & billing",
      "Returns & warranty",
      "Store & contact",
    ]);
    const entry = knowledge.entries.find((e) => e.id === "orders-shipping#how-do-i-track-my-order");
    assert.deepEqual(entry, {
      id: "orders-shipping#how-do-i-track-my-order",
      category: "Orders & shipping",
      question: "How do I track my order?",
      alternatives: [
        "tracking number",
        "tracking link",
        "where is my order",
        "where is my package",
        "order status",
      ],
      answer:
        "We email you a tracking link as soon as your order ships. You can also follow it under **My Orders** in your Northwind account.",
      source: join("examples/knowledge", "orders-shipping.md:7"),
    });
  });

  it("keeps the answer's own markdown, including deeper headings", () => {
    const dir = folder({
      "faq.md": "## Can I pay later?\n\nYes.\n\n### Details\n- up to 30 days\n\n## Next?\nNo.\n",
    });
    const [first] = loadKnowledgeBase(dir).entries;
    assert.equal(first?.answer, "Yes.\n\n### Details\n- up to 30 days");
    assert.equal(first?.category, "faq");
    assert.deepEqual(first?.alternatives, []);
  });

  const invalid: [string, Record<string, string>, string][] = [
    ["an empty folder", {}, "no .md files"],
    [
      "a heading without an answer",
      { "a.md": "# A\n\n## First?\nYes.\n\n## Second?\n\n" },
      "a.md:6:",
    ],
    ["an answer that is only an Also line", { "a.md": "## First?\nAlso: one, two\n" }, "a.md:1:"],
    ["text before the first question", { "a.md": "# A\nIntro text\n## Q?\nA.\n" }, "a.md:2:"],
    ["a heading without text", { "a.md": "## Q?\nA.\n##\nB.\n" }, "a.md:3:"],
    ["a duplicate question", { "a.md": "## Q?\nA.\n## q\nB.\n" }, "a.md:3:"],
    ["an empty Also line", { "a.md": "## Q?\nAlso: , \nA.\n" }, "a.md:1:"],
    ["a file without questions", { "a.md": "# Just a title\n" }, "a.md:1:"],
    ["a question made only of stop words", { "a.md": "## Who are you?\nA shop.\n" }, "a.md:1:"],
  ];
  for (const [what, files, location] of invalid) {
    it(`rejects ${what} with file and line`, () => {
      const dir = folder(files);
      assert.throws(
        () => loadKnowledgeBase(dir),
        (e: unknown) => {
          assert.ok(e instanceof Error && "code" in e && "status" in e);
          assert.equal(e.code, "MS_KNOWLEDGE_INVALID");
          assert.equal(e.status, 400);
          assert.ok(e.message.includes(location), e.message);
          return true;
        },
      );
    });
  }

  it("rejects a missing folder", () => {
    assert.throws(() => loadKnowledgeBase(join(tmpdir(), "no-such-kb")), {
      code: "MS_KNOWLEDGE_INVALID",
      message: /no-such-kb: cannot read the knowledge folder/,
    });
  });
});

describe("KnowledgeBase.search", () => {
  it("scores every entry's own question near 1", () => {
    for (const entry of knowledge.entries) {
      const [best] = knowledge.search(entry.question, 1);
      assert.equal(best?.entry.id, entry.id);
      assert.ok(best.confidence > 0.95, `${entry.question}: ${best.confidence}`);
    }
  });

  it("returns at most `limit` matches, best first, confidences within 0..1", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.integer({ min: 1, max: 5 }), (q, limit) => {
        const matches = knowledge.search(q, limit);
        assert.ok(matches.length <= limit);
        for (const [i, m] of matches.entries()) {
          assert.ok(m.confidence >= 0 && m.confidence <= 1);
          assert.ok(i === 0 || (matches[i - 1]?.confidence ?? 0) >= m.confidence);
        }
      }),
    );
  });
});

// Customer phrasings written without copying the FAQ wording; they include typos and filler.
const paraphrases: [string, string][] = [
  ["Hi, how long does shipping usually take?", "orders-shipping#how-long-does-delivery-take"],
  ["can you tell me the status of my order", "orders-shipping#how-do-i-track-my-order"],
  ["I need to cancel the order I just placed", "orders-shipping#can-i-change-or-cancel-my-order"],
  ["do you deliver to canada", "orders-shipping#do-you-ship-internationally"],
  [
    "my parcel was stolen from my porch",
    "orders-shipping#my-package-says-delivered-but-i-never-got-it",
  ],
  ["how long do I have to return a phone?", "returns-warranty#what-is-your-return-policy"],
  ["where do I get a return label", "returns-warranty#how-do-i-return-an-item"],
  [
    "still waiting for my refund, how long does it take",
    "returns-warranty#when-will-i-get-my-refund",
  ],
  ["is water damage covered by the warrenty?", "returns-warranty#what-does-the-warranty-cover"],
  [
    "what if I lose my phone, do you have insurance",
    "returns-warranty#do-you-offer-device-insurance",
  ],
  [
    "the phone I got yesterday won't turn on",
    "returns-warranty#my-new-phone-is-faulty-what-should-i-do",
  ],
  ["which plan has unlimited data?", "plans-billing#what-plans-do-you-offer"],
  ["how do I downgrade to the basic plan", "plans-billing#how-do-i-change-my-plan"],
  ["can I pay with paypal?", "plans-billing#what-payment-methods-do-you-accept"],
  ["why was I charged extra this month", "plans-billing#why-is-my-bill-higher-than-usual"],
  [
    "I'm switching from another carrier, can I port my number?",
    "plans-billing#can-i-keep-my-phone-number",
  ],
  [
    "I'm travelling to Spain next month, will roaming work?",
    "plans-billing#does-my-plan-work-abroad",
  ],
  ["my screen is cracked can you fix it", "devices-repairs#do-you-repair-cracked-screens"],
  ["my battery dies really fast", "devices-repairs#can-you-replace-my-battery"],
  ["can I trade in my old samsung", "devices-repairs#do-you-take-trade-ins"],
  ["is the phone sim locked?", "devices-repairs#are-your-phones-unlocked"],
  ["how do I activate my esim", "devices-repairs#how-do-i-set-up-an-esim"],
  ["are you open on sundays?", "store-contact#what-are-your-store-opening-hours"],
  ["can I just walk in or do I need to book", "store-contact#do-i-need-an-appointment"],
];

describe("createBuiltinAgent", () => {
  for (const [question, entryId] of paraphrases) {
    it(`answers "${question}"`, async () => {
      const reply = await ask(question);
      const entry = knowledge.entries.find((e) => e.id === entryId);
      assert.equal(reply.meta?.["entryId"], entryId);
      assert.equal(reply.text, entry?.answer);
      assert.equal(reply.handoff, undefined);
      assert.equal(reply.meta?.["score"], reply.confidence);
    });
  }

  const unrelated = [
    "what's the capital of France",
    "who won the world cup in 2018?",
    "can you write me a poem about the sea",
    "what is the meaning of life",
    "what's the best phone for gaming?",
    "is bitcoin a good investment",
    "asdf qwerty zxcv",
    "",
  ];
  for (const question of unrelated) {
    it(`hands off "${question}" for low confidence`, async () => {
      const reply = await ask(question);
      assert.equal(reply.text, DEFAULT_HANDOFF_TEXT);
      assert.deepEqual(reply.handoff, { reason: "low_confidence" });
      assert.ok((reply.confidence ?? 1) < DEFAULT_THRESHOLD);
    });
  }

  const humanRequests = [
    "human",
    "Agent please!",
    "can I talk to a real person?",
    "I want to speak with someone from customer service",
    "please connect me to an agent",
    "I need a human",
    "can I speak to your manager",
    "quiero hablar con una persona",
  ];
  for (const text of humanRequests) {
    it(`hands off "${text}" at the customer's request`, async () => {
      const reply = await ask(text);
      assert.equal(reply.text, DEFAULT_HANDOFF_TEXT);
      assert.deepEqual(reply.handoff, { reason: "customer_request" });
    });
  }

  it("does not take a mention of people for a request for one", async () => {
    for (const text of ["someone stole my phone", "how can I contact customer service?"]) {
      assert.notEqual((await ask(text)).handoff?.reason, "customer_request", text);
    }
  });

  for (const text of ["hi", "Hello!", "hola", "hey there 👋", "Good morning"]) {
    it(`greets "${text}"`, async () => {
      assert.deepEqual(await ask(text), { text: DEFAULT_GREETING_TEXT });
    });
  }

  for (const text of ["thanks", "Thank you so much!", "ok thanks, bye", "perfect"]) {
    it(`answers closing small talk "${text}" without a handoff`, async () => {
      assert.deepEqual(await ask(text), { text: DEFAULT_THANKS_TEXT });
    });
  }

  it("still answers a question that starts with thanks", async () => {
    const reply = await ask("thanks, and how long does shipping take?");
    assert.notEqual(reply.text, DEFAULT_THANKS_TEXT);
  });

  it("uses the given texts and threshold", async () => {
    const strict = createBuiltinAgent({
      id: "faq",
      version: "2",
      knowledge,
      threshold: 0.99,
      handoffText: "One moment.",
      greetingText: "Welcome to Northwind!",
    });
    assert.equal((await ask("hello", strict)).text, "Welcome to Northwind!");
    const reply = await ask("my battery dies really fast", strict);
    assert.equal(reply.text, "One moment.");
    assert.deepEqual(reply.handoff, { reason: "low_confidence" });
    assert.equal(reply.meta?.["entryId"], "devices-repairs#can-you-replace-my-battery");
  });

  it("rejects when the signal is already aborted", async () => {
    await assert.rejects(agent.respond(context("hi"), AbortSignal.abort()), { name: "AbortError" });
  });

  it("never throws and keeps confidence within 0..1", async () => {
    const words = fc.constantFrom(
      ...knowledge.entries.flatMap((e) => e.question.split(" ")),
      "hi",
      "human",
      "refund",
      "Frankreich",
    );
    const text = fc.oneof(
      fc.string({ unit: "grapheme" }),
      fc.string({ unit: "binary" }),
      fc.array(words, { maxLength: 12 }).map((w) => w.join(" ")),
    );
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        const reply = await ask(t);
        assert.ok(reply.text.length > 0);
        if (reply.confidence !== undefined) {
          assert.ok(reply.confidence >= 0 && reply.confidence <= 1);
        }
        assert.ok(
          reply.handoff === undefined ||
            ["low_confidence", "customer_request"].includes(reply.handoff.reason),
        );
      }),
    );
  });
});

const folders: string[] = [];
after(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "mainstay-kb-"));
  folders.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
