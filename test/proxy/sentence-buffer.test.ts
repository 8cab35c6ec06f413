import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { SentenceBuffer } from "../../src/proxy/index.ts";

test("sentences are released when the next text starts, whitespace kept", () => {
  const buffer = new SentenceBuffer();
  assert.deepEqual(buffer.push("Hello. How"), ["Hello. "]);
  assert.deepEqual(buffer.push(" are you?"), []);
  assert.deepEqual(buffer.push("  Fine!\nNext"), ["How are you?  ", "Fine!\n"]);
  assert.deepEqual(buffer.push(" line 3.5 is"), []);
  assert.equal(buffer.flush(), "Next line 3.5 is");
  assert.equal(buffer.flush(), "");
});

test("a card number split over deltas is released whole", () => {
  const buffer = new SentenceBuffer();
  const released = ["Card ", "4111 ", "1111 ", "1111 ", "1111", ". Done."].flatMap((d) =>
    buffer.push(d),
  );
  assert.deepEqual(released, ["Card 4111 1111 1111 1111. "]);
  assert.equal(buffer.flush(), "Done.");
});

test("released sentences and the flushed rest join back to the streamed text", () => {
  const text = fc.string({ unit: fc.constantFrom("a", " ", ".", "!", "?", "\n", "é", "4") });
  fc.assert(
    fc.property(fc.array(text, { maxLength: 20 }), (deltas) => {
      const buffer = new SentenceBuffer();
      const released = deltas.flatMap((d) => buffer.push(d));
      const rest = buffer.flush();
      assert.equal(released.join("") + rest, deltas.join(""));
      for (const sentence of released) assert.match(sentence, /([.!?]+\s+|\n+)$/);
    }),
  );
});
