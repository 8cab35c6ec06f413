/**
 * Characters that have no place in stored text, each replaced by U+FFFD:
 * - U+0000, which PostgreSQL refuses in `text` and in `jsonb` (PostgreSQL manual, sections
 *   8.3 and 8.14: "invalid byte sequence for encoding UTF8: 0x00"), so one NUL failed a request;
 * - a UTF-16 surrogate without its pair (`\ud800` in JSON), which is no character at all:
 *   UTF-8 cannot encode it, so SQLite kept it as three U+FFFD, PostgreSQL as one;
 * - the other C0 and C1 controls (Unicode general category Cc) except tab, line feed and
 *   carriage return: nobody types them, and shown in a terminal or a log viewer they move
 *   the cursor or rewrite the screen (ESC and CSI sequences).
 * U+FFFD keeps the string's length in UTF-16 units, so guardrail spans stay where they were.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSTORABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|\p{Cs}/gu;

const REPLACEMENT = "\uFFFD";

/** What `storableFields` changed: how many characters, in which top-level fields. */
export interface SanitizedRecord {
  replaced: number;
  fields: string[];
}

/** `text` with every unstorable character replaced, and how many there were. */
export function storableText(text: string): { text: string; replaced: number } {
  let replaced = 0;
  const clean = text.replace(UNSTORABLE, () => {
    replaced++;
    return REPLACEMENT;
  });
  return { text: clean, replaced };
}

/**
 * `record` with the strings in it made storable, at any depth (object keys, arrays), and
 * what was replaced, `undefined` when nothing was. Values other than strings, arrays and
 * plain objects are kept as they are.
 */
export function storableFields<T extends object>(
  record: T,
): { value: T; sanitized?: SanitizedRecord } {
  const counter = { replaced: 0 };
  const fields: string[] = [];
  const value = {} as Record<string, unknown>;
  for (const [key, field] of Object.entries(record)) {
    const before = counter.replaced;
    value[key] = storable(field, counter);
    if (counter.replaced > before) fields.push(key);
  }
  if (counter.replaced === 0) return { value: record };
  return { value: value as T, sanitized: { replaced: counter.replaced, fields } };
}

function storable(value: unknown, counter: { replaced: number }): unknown {
  if (typeof value === "string") {
    const { text, replaced } = storableText(value);
    counter.replaced += replaced;
    return text;
  }
  if (Array.isArray(value)) return value.map((item) => storable(item, counter));
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [storable(key, counter), storable(item, counter)]),
    );
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
