import assert from "node:assert/strict";
import { test } from "node:test";
import { createGuard, defaultPolicy } from "../../src/guardrails/index.ts";
import { StreamScreen } from "../../src/proxy/index.ts";

const guard = createGuard(defaultPolicy());
const screen = () =>
  new StreamScreen((text) => guard.check({ direction: "outbound", channel: "proxy", text }));

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  JSON.stringify({
    id: "c1",
    object: "chat.completion.chunk",
    created: 1,
    model: "m",
    choices: [{ index: 0, delta, finish_reason: finish }],
  });

/** The JSON payloads of SSE frames. */
const payloads = (frames: string[]) =>
  frames.map((f) => {
    assert.match(f, /^data: .*\n\n$/s);
    const data = f.slice(6, -2);
    return data === "[DONE]" ? data : JSON.parse(data);
  });

test("held text is released in the finish chunk, before [DONE]", () => {
  const s = screen();
  assert.deepEqual(s.accept(chunk({ content: "No sentence end yet" })), []);
  const [finish] = payloads(s.accept(chunk({}, "stop")));
  assert.deepEqual(finish.choices[0], {
    index: 0,
    delta: { content: "No sentence end yet" },
    finish_reason: "stop",
  });
  assert.deepEqual(payloads(s.accept("[DONE]")), ["[DONE]"]);
  assert.equal(s.finished, true);
  assert.equal(s.outcome().text, "No sentence end yet");
});

test("tool call deltas pass through untouched", () => {
  const s = screen();
  const toolCall = { tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] };
  assert.deepEqual(payloads(s.accept(chunk(toolCall)))[0].choices[0].delta, toolCall);
});

test("a stream cut before [DONE] releases what it holds", () => {
  const s = screen();
  s.accept(chunk({ content: "Mail jo@example.com" }));
  const [rest] = payloads(s.end());
  assert.equal(rest.choices[0].delta.content, "Mail [EMAIL]");
  assert.equal(rest.id, "c1");
});

test("an upstream error event is passed on and ends the stream", () => {
  const s = screen();
  const error = { message: "overloaded", type: "server_error", param: null, code: null };
  assert.deepEqual(payloads(s.accept(JSON.stringify({ error }))), [{ error }]);
  assert.equal(s.finished, true);
  assert.deepEqual(s.accept(chunk({ content: "late. " })), []);
  assert.deepEqual(s.outcome().error, error);
});

test("an unreadable event ends the stream with an upstream error", () => {
  const s = screen();
  const [frame] = payloads(s.accept("not json"));
  assert.equal(frame.error.code, "upstream_invalid_stream");
  assert.equal(s.finished, true);
});
