import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { createToolSet, type Tool } from "../../../src/agents/tools/index.ts";
import { truncateResult } from "../../../src/agents/tools/truncate-result.ts";
import { ManualClock } from "../../../src/shared/index.ts";

const ctx = { conversationId: "c1", contactId: "k1" };
const clock = new ManualClock();

function tool(name: string, run: Tool["run"], parameters: Record<string, unknown> = {}): Tool {
  return { spec: { name, description: name, parameters }, run };
}

const echo = tool("echo", async (args) => ({ content: String(args["text"]) }), {
  type: "object",
  properties: {
    text: { type: "string" },
    times: { type: "integer", minimum: 1 },
    note: { type: ["string", "null"] },
  },
  required: ["text"],
  additionalProperties: false,
});
const slow = tool("slow", async () => {
  clock.advance(1500);
  return { content: "done" };
});
const broken = tool("broken", async () => {
  throw new Error("database is down");
});

const tools = createToolSet([echo, slow, broken], { clock, maxResultBytes: 200 });

describe("createToolSet", () => {
  it("runs a tool with valid arguments and times it", async () => {
    const echoed = await tools.run({ name: "echo", arguments: { text: "hi", note: null } }, ctx);
    assert.deepEqual(echoed, { status: "ok", content: "hi", durationMs: 0 });
    assert.deepEqual(await tools.run({ name: "slow", arguments: {} }, ctx), {
      status: "ok",
      content: "done",
      durationMs: 1500,
    });
    assert.deepEqual(
      tools.specs.map((s) => s.name),
      ["echo", "slow", "broken"],
    );
  });

  it("reports every schema violation to the model without running the tool", async () => {
    const outcome = await tools.run({ name: "echo", arguments: { times: 0, extra: true } }, ctx);
    assert.equal(outcome.status, "invalid_arguments");
    assert.equal(
      outcome.content,
      "invalid arguments: arguments must have required property 'text', " +
        "arguments must NOT have additional properties, arguments/times must be >= 1",
    );
  });

  it("turns a thrown error and an unknown tool into content", async () => {
    const failed = await tools.run({ name: "broken", arguments: {} }, ctx);
    assert.equal(failed.status, "error");
    assert.equal(failed.content, "tool error: database is down");
    const unknown = await tools.run({ name: "nope", arguments: {} }, ctx);
    assert.deepEqual(unknown, {
      status: "unknown_tool",
      content: 'unknown tool "nope"',
      durationMs: 0,
    });
  });

  it("rethrows when the turn was cancelled", async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      tools.run({ name: "broken", arguments: {} }, { ...ctx, signal: controller.signal }),
      /database is down/,
    );
  });

  it("caps every result", async () => {
    const outcome = await tools.run({ name: "echo", arguments: { text: "x".repeat(500) } }, ctx);
    assert.equal(outcome.content, `${"x".repeat(175)}\n[truncated to 200 bytes]`);
  });

  it("fails at creation on a bad schema or a duplicate name", () => {
    const bad = tool("bad", echo.run, { type: "object", properties: { a: { type: "nope" } } });
    assert.throws(() => createToolSet([bad]), /tool "bad" has an invalid parameters schema/);
    assert.throws(() => createToolSet([echo, echo]), /tool "echo" is declared twice/);
  });
});

describe("truncateResult", () => {
  it("keeps within the limit, never splits a character, and keeps short text whole", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme" }),
        fc.integer({ min: 30, max: 200 }),
        (text, max) => {
          const cut = truncateResult(text, max);
          const bytes = Buffer.byteLength(cut);
          if (Buffer.byteLength(text) <= max) return assert.equal(cut, text);
          assert.ok(bytes <= max, `${bytes} > ${max}`);
          assert.ok(cut.endsWith(`\n[truncated to ${max} bytes]`));
          assert.ok(text.startsWith(cut.slice(0, cut.lastIndexOf("\n[truncated"))));
          assert.ok(!cut.includes("\uFFFD"));
        },
      ),
    );
  });
});
