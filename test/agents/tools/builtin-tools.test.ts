import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadKnowledgeBase } from "../../../src/agents/builtin/index.ts";
import {
  createToolSet,
  handoffTool,
  lookupContactTool,
  searchKnowledgeBaseTool,
} from "../../../src/agents/tools/index.ts";

const ctx = { conversationId: "c1", contactId: "k1" };

// Through a tool set, as the agent calls them, so the schemas are exercised too.
const tools = createToolSet([
  handoffTool(),
  searchKnowledgeBaseTool(loadKnowledgeBase("examples/knowledge")),
  lookupContactTool(async (contactId) =>
    contactId === "k1"
      ? {
          id: "k1",
          displayName: "Ana",
          identities: [
            { channelType: "whatsapp", address: "+34600000000", phone: "+34600000000" },
            { channelType: "email", address: "ana@example.com", phone: null },
            { channelType: "whatsapp", address: "+34600000001", phone: "+34600000001" },
          ],
        }
      : undefined,
  ),
]);

describe("built-in tools", () => {
  it("handoff_to_human asks for a handoff with the model's reason", async () => {
    const outcome = await tools.run(
      { name: "handoff_to_human", arguments: { reason: "asks for a manager" } },
      ctx,
    );
    assert.equal(outcome.content, "handing off");
    assert.deepEqual(outcome.handoff, { reason: "customer_request", detail: "asks for a manager" });
    const missing = await tools.run({ name: "handoff_to_human", arguments: {} }, ctx);
    assert.equal(missing.status, "invalid_arguments");
    assert.equal(missing.handoff, undefined);
  });

  it("search_knowledge_base returns the top 3 entries with their confidence", async () => {
    const outcome = await tools.run(
      { name: "search_knowledge_base", arguments: { query: "how do I track my order" } },
      ctx,
    );
    const entries = JSON.parse(outcome.content) as Record<string, unknown>[];
    assert.ok(entries.length > 0 && entries.length <= 3);
    assert.deepEqual(Object.keys(entries[0]!), ["question", "answer", "confidence"]);
    assert.equal(entries[0]!["question"], "How do I track my order?");
    assert.equal(entries[0]!["confidence"], 1);
    const none = await tools.run(
      { name: "search_knowledge_base", arguments: { query: "zzzz qqqq" } },
      ctx,
    );
    assert.equal(none.content, "no matching entries");
  });

  it("lookup_contact tells the name and channel types of this conversation's contact only", async () => {
    const outcome = await tools.run({ name: "lookup_contact", arguments: {} }, ctx);
    assert.deepEqual(JSON.parse(outcome.content), { name: "Ana", channels: ["whatsapp", "email"] });
    assert.doesNotMatch(outcome.content, /ana@example|\+346/);
    const other = await tools.run(
      { name: "lookup_contact", arguments: {} },
      { ...ctx, contactId: "k2" },
    );
    assert.equal(other.content, "no contact record for this customer");
    const asked = await tools.run({ name: "lookup_contact", arguments: { contactId: "k2" } }, ctx);
    assert.equal(asked.status, "invalid_arguments");
  });
});
