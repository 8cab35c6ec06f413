import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { storableFields, storableText } from "../../src/shared/storable-text.ts";

/** Any UTF-16 string, lone surrogates and control characters included. */
const anyString = fc.string({ unit: "binary" });
const KEPT_CONTROLS = new Set(["\t", "\n", "\r"]);

/** What PostgreSQL and SQLite both keep exactly: no lone surrogate, NUL or other control. */
function isStorable(text: string): boolean {
  return [...text].every((c) => {
    const code = c.codePointAt(0)!;
    // A surrogate is its own code point only when its pair is missing.
    if (code >= 0xd800 && code <= 0xdfff) return false;
    return KEPT_CONTROLS.has(c) || !(code < 0x20 || (code >= 0x7f && code <= 0x9f));
  });
}

describe("storableText", () => {
  it("leaves only what the stores keep, length for length, and counts each change", () => {
    fc.assert(
      fc.property(anyString, (text) => {
        const { text: clean, replaced } = storableText(text);
        assert.ok(isStorable(clean));
        assert.equal(clean.length, text.length);
        // Code point by code point: a replaced character is one unit, and so is U+FFFD.
        const before = [...text];
        assert.equal(replaced, [...clean].filter((c, i) => c !== before[i]).length);
        assert.deepEqual(storableText(clean), { text: clean, replaced: 0 });
      }),
    );
  });

  it("keeps text that was storable as it was", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }).filter(isStorable), (text) => {
        assert.deepEqual(storableText(text), { text, replaced: 0 });
      }),
    );
  });

  it("replaces NUL, a lone surrogate and ESC, but keeps tab, newlines and emoji", () => {
    assert.deepEqual(storableText("a\u0000b\ud800c\u001bd\t\r\n😀"), {
      text: "a\uFFFDb\uFFFDc\uFFFDd\t\r\n😀",
      replaced: 3,
    });
  });
});

describe("storableFields", () => {
  it("cleans strings at any depth, keys included, and names the top-level fields", () => {
    const { value, sanitized } = storableFields({
      text: "hi\u0000",
      from: "user-1",
      meta: { "k\u0000": ["x\u0000", 3, true, null, { deep: "y\ud800" }] },
      attachments: [{ url: "https://example.com/a", name: "a\u0000.pdf", size: 3 }],
    });
    assert.deepEqual(value, {
      text: "hi\uFFFD",
      from: "user-1",
      meta: { "k\uFFFD": ["x\uFFFD", 3, true, null, { deep: "y\uFFFD" }] },
      attachments: [{ url: "https://example.com/a", name: "a\uFFFD.pdf", size: 3 }],
    });
    assert.deepEqual(sanitized, { replaced: 5, fields: ["text", "meta", "attachments"] });
  });

  it("returns the very record, and no record of changes, when nothing needed replacing", () => {
    const record = { text: "hello", meta: { subject: "Re: order" } };
    const result = storableFields(record);
    assert.equal(result.value, record);
    assert.equal(result.sanitized, undefined);
  });
});
