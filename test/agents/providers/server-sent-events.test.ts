import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { readServerSentEvents } from "../../../src/agents/providers/server-sent-events.ts";
import { collect } from "./provider-contract.ts";

function bodyOf(parts: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(encoder.encode(part));
      controller.close();
    },
  });
}

const read = (...parts: string[]) => collect(readServerSentEvents(bodyOf(parts)));

const stream =
  ": keep-alive comment\n" +
  'event: message_start\ndata: {"a":1}\n\n' +
  'data: {"b":"é ü 漢"}\n\n' +
  "data: line one\ndata:line two\nid: 7\nretry: 100\n\n" +
  "event: ignored-without-data\n\n" +
  "data: [DONE]\n\n" +
  "data: unfinished";

const expected = [
  { event: "message_start", data: '{"a":1}' },
  { event: undefined, data: '{"b":"é ü 漢"}' },
  { event: undefined, data: "line one\nline two" },
  { event: undefined, data: "[DONE]" },
];

describe("readServerSentEvents", () => {
  it("reads events, joins data lines, skips comments and drops an unfinished event", async () => {
    assert.deepEqual(await read(stream), expected);
  });

  it("treats CRLF, CR and LF line ends alike", async () => {
    assert.deepEqual(await read(stream.replaceAll("\n", "\r\n")), expected);
    assert.deepEqual(await read(stream.replaceAll("\n", "\r")), expected);
  });

  it("reads the same events however the bytes are split", async () => {
    const bytes = new TextEncoder().encode(stream.replaceAll("\n", "\r\n"));
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 })),
        async (cuts) => {
          const ends = [0, ...cuts.sort((a, b) => a - b), bytes.length];
          const body = new ReadableStream<Uint8Array>({
            start(controller) {
              for (let i = 1; i < ends.length; i++)
                controller.enqueue(bytes.slice(ends[i - 1], ends[i]));
              controller.close();
            },
          });
          assert.deepEqual(await collect(readServerSentEvents(body)), expected);
        },
      ),
    );
  });
});
